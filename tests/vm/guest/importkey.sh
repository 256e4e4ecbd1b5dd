# SPDX-License-Identifier: GPL-2.0
# import-key: seal the bytes of a logon, user or encrypted key that is
# already in the kernel, so they never come back to userspace. Each import
# is checked through dm-crypt: a mapping keyed by the source key writes,
# one keyed by the stock trusted key loaded from the new blob reads back.
# Sourced by t-main.sh, before security.sh switches imports off.
modprobe encrypted-keys
ik_want=$(sum1m /tmp/pattern)	# lib.sh helpers reuse $want

# ik_check NAME SRC N: import-key SRC as NAME, load its blob with the stock
# type, and compare dm-crypt with :N:SRC against :N:trusted:NAME-load.
ik_check() {
	name=$1 src=$2 n=$3
	id=$(printf 'import-key %s %s' "$src" "$KH" | keyctl padd trusted-import "$name" @s)
	if [ -z "$id" ]; then
		nok "import-key $src"
		return
	fi
	ok "import-key $src"
	blob=$(keyctl pipe "$id")
	check "import-key $src: stock type loads the blob" \
		sh -c "keyctl add trusted '$name-load' 'load $blob $KH' @s >/dev/null"
	dm_open "src-$name" ":$n:$src" && dd if=/tmp/pattern of="/dev/mapper/src-$name" bs=64k conv=fsync 2>/dev/null
	dm_close "src-$name"
	dm_open "tk-$name" ":$n:trusted:$name-load"
	check "import-key $src: trusted mapping reads what the source key wrote" \
		test "$(sum1m "/dev/mapper/tk-$name")" = "$ik_want"
	dm_close "tk-$name"
}

# A legacy boot script's logon key: its bytes can never be read back.
head -c 64 /dev/urandom | keyctl padd logon legacy:dm @s >/dev/null
expect_err "the legacy logon key is unreadable from userspace" "not supported" \
	sh -c "keyctl pipe \$(keyctl search @s logon legacy:dm)"
ik_check fromlogon logon:legacy:dm 64

head -c 32 /dev/urandom | keyctl padd user kmk @s >/dev/null
ik_check fromuser user:kmk 32

keyctl add encrypted ek "new default user:kmk 64" @s >/dev/null
ik_check fromenc encrypted:ek 64

# Refusals: each with its errno, no key left behind.
ik_refuse() {
	d=$1 want=$2 src=$3
	expect_err "import-key $d" "$want" \
		sh -c "printf 'import-key %s %s' '$src' '$KH' | keyctl padd trusted-import ikbad @s"
	check "import-key $d: no key left behind" sh -c '! keyctl search @s trusted-import ikbad 2>/dev/null'
}
ik_refuse "of a missing key: ENOKEY" "$ENOKEY" logon:legacy:nothere
ik_refuse "of the wrong type (a user key named as logon): ENOKEY" "$ENOKEY" logon:kmk
rid=$(head -c 32 /dev/urandom | keyctl padd user revoked @s)
keyctl revoke "$rid"
ik_refuse "of a revoked key: EKEYREVOKED" "$EKEYREVOKED" user:revoked
xid=$(head -c 32 /dev/urandom | keyctl padd user expired @s)
keyctl timeout "$xid" 1
sleep 2
ik_refuse "of an expired key: ENOKEY" "$ENOKEY" user:expired
sid=$(head -c 32 /dev/urandom | keyctl padd user nosearch @s)
keyctl setperm "$sid" 0x37000000
ik_refuse "of a key the caller cannot search: EACCES" "$EACCES" user:nosearch
head -c 16 /dev/urandom | keyctl padd user short @s >/dev/null
ik_refuse "of a 16-byte key: EINVAL" "$EINVAL" user:short
