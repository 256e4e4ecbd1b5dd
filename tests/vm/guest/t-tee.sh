# SPDX-License-Identifier: GPL-2.0
# The TEE backend: trusted.source=tee (a TPM attached, which must not be
# used), and the stock trusted_tee.c talking to the test-only OP-TEE
# stand-in (tests/tee/optee_double.c, docs/tee-double.md) in place of
# OP-TEE's trusted-keys TA. /dev/vda is a scratch disk for dm-crypt. Sourced by /init with lib.sh loaded.

TA=f04a0fe7-1f5d-4b9b-abf7-619b85b4ce8c
TADEV=/sys/bus/tee/devices/optee-ta-$TA
# what the stand-in's TA did so far (read-only module parameters)
ta_count() { cat "/sys/module/optee_double/parameters/$1"; }
# bump NAME BEFORE: the counter went up by exactly one
bump() { test "$(ta_count "$1")" -eq $(($2 + 1)); }
# flip_hex HEX N: HEX with the lowest bit of byte N flipped
flip_hex() {
	pre="" byte=$(echo "$1" | cut -c$((2 * $2 + 1))-$((2 * $2 + 2)))
	[ "$2" -gt 0 ] && pre=$(echo "$1" | cut -c1-$((2 * $2)))
	printf '%s%02x%s' "$pre" $((0x$byte ^ 1)) "$(echo "$1" | cut -c$((2 * $2 + 3))-)"
}
# blob_ok DESC HEXBLOB N: OP-TEE's layout for an N-byte key: one reserved
# byte (0), a 16-byte IV, a 16-byte tag, N bytes of ciphertext
blob_ok() {
	check "$1: the blob has OP-TEE's layout ($(($3 + 33)) bytes, reserved byte 0)" \
		sh -c "echo '$2' | grep -qE '^00([0-9a-f]{2}){$(($3 + 32))}\$'"
}
# dm_same DESC HEX KEYREF CIPHER: a mapping keyed KEYREF reads back what a
# mapping keyed with the plaintext HEX wrote (and so holds the same key)
dm_same() {
	if dm_open tw "$2" "$4" &&
		dd if=/tmp/pattern of=/dev/mapper/tw bs=64k conv=fsync 2>/dev/null &&
		dm_close tw && dm_open tr "$3" "$4"; then
		check "$1" test "$(sum1m /dev/mapper/tr)" = "$psum"
		dm_close tr
	else
		nok "$1 (a dm-crypt mapping failed)"
		dm_close tw 2>/dev/null
		dm_close tr 2>/dev/null
	fi
}
cipher_for() {
	case $1 in
	100) echo blowfish:2-cbc-plain64 ;;
	128) echo aes:4-xts-plain64 ;;
	*) echo aes-xts-plain64 ;;
	esac
}

# the TPM would be the default source; trusted.source=tee must win over it
# (the TA's seal counter and OP-TEE's blob layout below show that it did)
check "a TPM is attached as well, /dev/tpm0" test -c /dev/tpm0
check "booted with trusted.source=tee" grep -qw trusted.source=tee /proc/cmdline
check "modprobe optee_double (the test-only OP-TEE stand-in)" modprobe optee_double
check "it registered a TEE device, /dev/tee0" test -c /dev/tee0
check "the trusted-keys TA's device is on the TEE bus" test -d "$TADEV"
load_modules
check "trusted_import is loaded" test -d /sys/module/trusted_import
check "stock trusted module was pulled in" test -d /sys/module/trusted
check "trusted_tee.c bound to the TA's device" \
	sh -c "readlink '$TADEV/driver' | grep -q 'trusted-key-tee\$'"

head -c 1048576 /dev/urandom > /tmp/pattern
psum=$(sum1m /tmp/pattern)

# --- round trips: import, pipe, stock load, the same key through dm-crypt
for n in 32 64 100 128; do
	hex=$(randhex "$n")
	s0=$(ta_count seals) u0=$(ta_count unseals)
	id=$(printf 'import %s' "$hex" | keyctl padd trusted-import "imp$n" @s)
	if [ -z "$id" ]; then
		nok "import of a $n-byte key"
		continue
	fi
	ok "import of a $n-byte key"
	check "$n: the TA sealed it once" bump seals "$s0"
	check "$n: the TA unsealed it once (trusted-import's verification)" bump unseals "$u0"
	blob=$(keyctl pipe "$id")
	blob_ok "$n" "$blob" "$n"
	check "$n: keyctl print equals keyctl pipe" test "$(keyctl print "$id")" = "$blob"
	u0=$(ta_count unseals)
	check "$n: stock trusted type loads the blob" \
		sh -c "keyctl add trusted 'stock$n' 'load $blob' @s >/dev/null"
	check "$n: the stock load went through the TA" bump unseals "$u0"
	dm_same "$n: :$n:trusted:stock$n opens what the plaintext key wrote" \
		"$hex" ":$n:trusted:stock$n" "$(cipher_for "$n")"
	[ "$n" = 64 ] && hex64=$hex blob64=$blob
done
# the comparison can fail: a key one byte off reads something else
if dm_open off "$(flip_hex "$hex64" 63)" aes-xts-plain64; then
	check "64: a key one byte off shows different plaintext" \
		test "$(sum1m /dev/mapper/off)" != "$psum"
	dm_close off
else
	nok "64: a key one byte off shows different plaintext (no mapping)"
fi

# --- the stock "new": the TA's random bytes, sealed the same way
r0=$(ta_count randoms)
nid=$(keyctl add trusted tnew "new 32" @s)
check "stock new 32 succeeds" test -n "$nid"
check "stock new: the key bytes came from the TA's GET_RANDOM" bump randoms "$r0"
nblob=$(keyctl pipe "$nid")
blob_ok "stock new" "$nblob" 32
check "stock new: its blob loads" sh -c "keyctl add trusted tnew2 'load $nblob' @s >/dev/null"
if dm_open nw ":32:trusted:tnew" && dd if=/tmp/pattern of=/dev/mapper/nw bs=64k conv=fsync 2>/dev/null &&
	dm_close nw && dm_open nr ":32:trusted:tnew2"; then
	check "stock new: the loaded key is the new key (dm-crypt)" test "$(sum1m /dev/mapper/nr)" = "$psum"
	dm_close nr
else
	nok "stock new: the loaded key is the new key (dm-crypt)"
fi
expect_err "stock keyctl update of a TEE key: EPERM (TEE keys are non-migratable)" \
	"Operation not permitted" keyctl update "$nid" update

# --- keyctl update of an imported key reseals through the TA
id=$(keyctl search @s trusted-import imp64)
s0=$(ta_count seals)
check "update: keyctl update of an imported key reseals" keyctl update "$id" update
check "update: the TA sealed again" bump seals "$s0"
ublob=$(keyctl pipe "$id")
check "update: the blob changed (fresh IV)" test "$ublob" != "$blob64"
check "update: the new blob loads" sh -c "keyctl add trusted upd 'load $ublob' @s >/dev/null"
dm_same "update: the new blob holds the same key" "$hex64" ":64:trusted:upd" aes-xts-plain64

u0=$(ta_count unseals)
check "ti.verify=0: the import succeeds" \
	sh -c "printf 'import %s ti.verify=0' '$(randhex 32)' | keyctl padd trusted-import nover @s >/dev/null"
check "ti.verify=0: the TA was not asked to unseal" test "$(ta_count unseals)" -eq "$u0"

# --- blobs the TA must refuse: tag, IV, ciphertext or length wrong
tamper() {
	j0=$(ta_count rejects)
	expect_err "tampered blob ($1) fails to load: EFAULT" "Bad address" \
		keyctl add trusted bad "load $2" @s
	check "tampered blob ($1): the TA's tag check refused it" bump rejects "$j0"
}
tamper "IV byte" "$(flip_hex "$blob64" 1)"
tamper "tag byte" "$(flip_hex "$blob64" 20)"
tamper "first ciphertext byte" "$(flip_hex "$blob64" 33)"
tamper "last ciphertext byte" "$(flip_hex "$blob64" 96)"
tamper "last byte cut off" "$(echo "$blob64" | cut -c1-$((2 * 96)))"
expect_err "a header without ciphertext (33 bytes): EFAULT" "Bad address" \
	keyctl add trusted bad "load $(echo "$blob64" | cut -c1-66)" @s
expect_err "a blob longer than any sealed key (200 bytes): EFAULT" "Bad address" \
	keyctl add trusted bad "load $(randhex 200)" @s
expect_err "a blob with a non-hex digit: EINVAL" "Invalid argument" \
	keyctl add trusted bad "load zz$(echo "$blob64" | cut -c3-)" @s
# OP-TEE's TA does not authenticate the reserved byte; neither does this one
check "the reserved byte is not authenticated (as in OP-TEE's TA): the blob still loads" \
	sh -c "keyctl add trusted resv 'load $(flip_hex "$blob64" 0)' @s >/dev/null"
check "no refused blob left a key behind" sh -c "! keyctl search @s trusted bad 2>/dev/null"

# --- bad imports are refused before the backend is asked
s0=$(ta_count seals)
expect_err "import with a non-hex key: EINVAL" "Invalid argument" \
	sh -c "printf 'import zz%s' '$(randhex 31)' | keyctl padd trusted-import bad @s"
expect_err "import of a 31-byte key: EINVAL" "Invalid argument" \
	sh -c "printf 'import %s' '$(randhex 31)' | keyctl padd trusted-import bad @s"
expect_err "import of a 129-byte key: EINVAL" "Invalid argument" \
	sh -c "printf 'import %s' '$(randhex 129)' | keyctl padd trusted-import bad @s"
expect_err "import with an unknown option: EINVAL" "Invalid argument" \
	sh -c "printf 'import %s bogus=1' '$(randhex 32)' | keyctl padd trusted-import bad @s"
check "the TA was not asked to seal any of them" test "$(ta_count seals)" -eq "$s0"

# --- TPM-only options: the stock TEE backend ignores them (recorded)
hex=$(randhex 32)
id=$(printf 'import %s keyhandle=0x81000001 keyauth=%s' "$hex" "$(randhex 20)" |
	keyctl padd trusted-import tpmopts @s)
check "TEE ignores TPM options: import with keyhandle= and keyauth= succeeds" test -n "$id"
blob=$(keyctl pipe "$id")
check "TEE ignores TPM options: the blob loads without them" \
	sh -c "keyctl add trusted tpmopts 'load $blob' @s >/dev/null"
dm_same "TEE ignores TPM options: it holds the imported key" "$hex" ":32:trusted:tpmopts" aes-xts-plain64
check "TEE ignores TPM options: stock new 32 keyhandle=0x81000001 succeeds" \
	sh -c "keyctl add trusted tpmnew 'new 32 keyhandle=0x81000001' @s >/dev/null"
id=$(printf 'import %s migratable=0' "$(randhex 32)" | keyctl padd trusted-import nomig @s)
check "TEE ignores migratable=0: the import succeeds" test -n "$id"
check "TEE ignores migratable=0: a later keyctl update reseals (on a TPM: EPERM)" \
	keyctl update "$id" update

# --- several importers at once share the one TA session
for w in 1 2 3 4; do
	(
		for i in 1 2 3 4 5; do
			printf 'import %s' "$(randhex 48)" |
				keyctl padd trusted-import "par$w.$i" @s >/dev/null || echo "import $w.$i failed"
		done
	) > "/tmp/par$w" 2>&1 &
done
wait
check "4 x 5 concurrent imports all succeed" sh -c '! cat /tmp/par1 /tmp/par2 /tmp/par3 /tmp/par4 | grep .'

# --- the blob is bound to the device key: another "device" cannot unseal
check "rmmod optee_double (trusted_tee.c unbinds)" rmmod optee_double
check "the TA's device left the bus" test ! -e "$TADEV"
expect_err "without the TEE an import fails: ENODEV" "No such device" \
	sh -c "printf 'import %s' '$(randhex 32)' | keyctl padd trusted-import gone @s"
expect_err "without the TEE the stock type is gone: ENODEV" "No such device" \
	keyctl add trusted gone "load $blob64" @s
check "another device: modprobe optee_double secret=another-device" \
	modprobe optee_double secret=another-device
expect_err "another device's TA refuses the blob: EFAULT" "Bad address" \
	keyctl add trusted other "load $blob64" @s
check "another device: refused by the tag check" test "$(ta_count rejects)" -eq 1
check "rmmod optee_double" rmmod optee_double
check "this device again: modprobe optee_double" modprobe optee_double
check "this device again: the stock type is back and loads the blob" \
	sh -c "keyctl add trusted back 'load $blob64' @s >/dev/null"
dm_same "this device again: the same key" "$hex64" ":64:trusted:back" aes-xts-plain64
check "this device again: imports work again" \
	sh -c "printf 'import %s' '$(randhex 32)' | keyctl padd trusted-import again @s >/dev/null"

# a key of ours outlives this session, for the epilogue's rmmod check
check "a key of ours stays live in @u" \
	sh -c "printf 'import %s' '$(randhex 48)' | keyctl padd trusted-import live @u >/dev/null"
# the stand-in's own exit path, under kmemleak on the debug kernel
check "rmmod optee_double at the end" rmmod optee_double
