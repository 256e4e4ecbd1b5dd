# SPDX-License-Identifier: GPL-2.0
# Refusals: each payload gets its errno, one "refused" line in the kernel
# log, and no key left behind. Sourced by t-main.sh.

K32=$(printf '%064d' 0 | tr 0 a)	# a known pattern, to search the log for

# refuse DESC STRERROR PAYLOAD [NAME]: padd PAYLOAD, a printf format so that
# NUL and tab can be written, as key NAME; expect failure with STRERROR.
refuse() {
	d=$1
	want=$2
	payload=$3
	name=${4:-bad}
	sleep 1		# stay under the module's log rate limit
	m=$(klog_mark)
	# shellcheck disable=SC2059 # the payload is a printf format on purpose
	printf "$payload" > /tmp/payload
	expect_err "$d: $want" "$want" sh -c "keyctl padd trusted-import $name @s < /tmp/payload"
	if [ "$(klog_since "$m" | grep -c 'trusted_import: refused')" -eq 1 ]; then
		ok "$d: one line in the kernel log"
	else
		nok "$d: one line in the kernel log"
	fi
	if [ "$name" = bad ]; then
		check "$d: no key left behind" sh -c '! keyctl search @s trusted-import bad >/dev/null 2>&1'
	fi
}

refuse "empty payload" "$EINVAL" ''
refuse "only blanks" "$EINVAL" '  \t '
refuse "unknown command" "$EINVAL" 'new 32'
refuse "stock load command" "$EINVAL" "load $K32"
refuse "import without hex" "$EINVAL" 'import'
refuse "import with an option instead of hex" "$EINVAL" "import $KH"
refuse "odd number of digits" "$EINVAL" "import ${K32}a $KH"
refuse "non-hex character" "$EINVAL" "import ${K32%a}g $KH"
refuse "31-byte key" "$EINVAL" "import ${K32%aa} $KH"
refuse "129-byte key" "$EINVAL" "import $K32$K32$K32${K32}aa $KH"
refuse "NUL byte inside" "$EINVAL" "import ${K32}\\0 $KH"
refuse "two trailing newlines" "$EINVAL" "import $K32 $KH\\n\\n"
refuse "unknown option" "$EINVAL" "import $K32 $KH foo=1"
refuse "option without a value" "$EINVAL" "import $K32 keyhandle="
refuse "reserved namespace option" "$EINVAL" "import $K32 $KH ti.bogus=1"
refuse "update without a key" "$EINVAL" "update $KH"
refuse "only a tab" "$EINVAL" '\t'
refuse "only a newline" "$EINVAL" '\n'
refuse "upper-case command" "$EINVAL" "IMPORT $K32 $KH"
refuse "carriage return" "$EINVAL" "import $K32 $KH\\r"
refuse "non-ASCII byte" "$EINVAL" "import $K32 $KH \\303\\251"
refuse "0x before the hex" "$EINVAL" "import 0x$K32 $KH"
refuse "key split by a blank" "$EINVAL" "import ${K32%????????????????????????????????} ${K32#????????????????????????????????} $KH"
refuse "option with an empty name" "$EINVAL" "import $K32 $KH =1"
refuse "ti.verify=2" "$EINVAL" "import $K32 $KH ti.verify=2"
refuse "ti.verify without a value" "$EINVAL" "import $K32 $KH ti.verify="
refuse "import-key without a source" "$EINVAL" "import-key $KH"
refuse "import-key of a trusted key" "$EINVAL" "import-key trusted:x $KH"
refuse "import-key with an empty description" "$EINVAL" "import-key logon: $KH"
refuse "load with a blob" "$EINVAL" "load 0011 $KH"
refuse "two commands" "$EINVAL" "import import $K32 $KH"

# Sizes: 32767 bytes is the stock limit, and add_key's own is 1 MiB - 1.
big() { printf 'import %s %s ' "$K32" "$KH"; head -c "$1" /dev/zero | tr '\0' a; }
for size in 32800 1048000; do
	big "$size" > /tmp/big
	sleep 1
	m=$(klog_mark)
	expect_err "$size-byte payload: $EINVAL" "$EINVAL" sh -c "keyctl padd trusted-import bad @s < /tmp/big"
	check "$size-byte payload: one line in the kernel log" \
		test "$(klog_since "$m" | grep -c 'trusted_import: refused')" -eq 1
done
rm -f /tmp/big

# An existing description keeps its key.
hex=$(randhex 32)
id=$(printf 'import %s %s' "$hex" "$KH" | keyctl padd trusted-import dup @s)
b=$(keyctl pipe "$id")
refuse "import over an existing key" "$EEXIST" "import $K32 $KH" dup
check "the existing key is unchanged" test "$(keyctl pipe "$id")" = "$b"

# Backend errors pass through with the stock type's own errno.
# parity OPTS [LEN]: an import with OPTS answers as the stock "new LEN OPTS"
# does: both succeed, or both fail with the same errno. Conflicting,
# overlong and other backends' options are all left to the stock code.
parity() {
	opts=$1 len=${2:-32}
	hex=$(printf '%0*d' $((2 * len)) 0 | tr 0 c)
	sleep 1
	stock=$(keyctl add trusted parity "new $len $opts" @s 2>&1)
	mine=$(printf 'import %s %s' "$hex" "$opts" | keyctl padd trusted-import parity @s 2>&1)
	case $stock$mine in
	*:*) # at least one failed: both must, with the same errno
		if [ "${stock#*: }" = "${mine#*: }" ] && [ "$stock" != "${stock#*: }" ]; then
			ok "parity $len '${opts:-no options}': both fail with ${stock#*: }"
		else
			nok "parity $len '${opts:-no options}': stock '$stock', import '$mine'"
		fi
		check "parity $len '${opts:-no options}': no key left behind" \
			sh -c '! keyctl search @s trusted-import parity 2>/dev/null' ;;
	*)
		ok "parity $len '${opts:-no options}': both succeed"
		keyctl unlink "$stock" @s >/dev/null
		keyctl unlink "$mine" @s >/dev/null ;;
	esac
}
for opts in "keyhandle=0x81000077" "" "$KH hash=md5" "$KH hash=sha256" \
	"$KH keyhandle=0x81000077" "$KH keyauth=$K32$K32" "$KH blobauth=$K32$K32" \
	"$KH blobauth=secret" "$KH pcrinfo=00" "$KH policydigest=00" \
	"$KH hash=sha1 policydigest=$K32" "$KH migratable=2" "$KH pcrlock=99" \
	"$KH pcrlock=16" "$KH policyhandle=zz" "$KH keyhandle=" "$KH wrap_flags=1" \
	"keyhandle=0x40000000"; do
	parity "$opts"
done
# 128 bytes is within our limits; with an RSA-2048 parent the stock "new"
# may still fail (the reply exceeds MAX_BLOB_SIZE): same answer either way.
parity "$KH" 128
parity "$KH" 100

# keyctl update with garbage: the key and its blob stay as they were.
uid_=$(printf 'import %s %s' "$(randhex 32)" "$KH" | keyctl padd trusted-import garb @s)
ub=$(keyctl pipe "$uid_")
for junk in "" "garbage" "update foo" "update keyhandle" "update $KH ti.verify=7" "load 00" "new 32"; do
	expect_err "keyctl update with '$junk': EINVAL" "$EINVAL" keyctl update "$uid_" "$junk"
done
expect_err "keyctl update with an import payload: EEXIST" "$EEXIST" keyctl update "$uid_" "import $K32 $KH"
check "garbage updates left the blob alone" test "$(keyctl pipe "$uid_")" = "$ub"

# Unprivileged: uid 1000 without capabilities. util-linux setpriv by its
# path: Debian's busybox sh prefers its own applets over PATH.
sleep 1
m=$(klog_mark)
expect_err "uid 1000 without CAP_SYS_ADMIN: EPERM" "$EPERM" \
	/usr/bin/setpriv --reuid=1000 --regid=1000 --clear-groups --inh-caps=-all \
	sh -c "printf 'import $K32 $KH' | keyctl padd trusted-import unpriv @u"
check "uid 1000: one line in the kernel log" \
	test "$(klog_since "$m" | grep -c 'refused for uid 1000: import needs CAP_SYS_ADMIN')" -eq 1

# No key byte in the log: neither the fixed pattern nor any random key.
check "kernel log never shows the test key" sh -c "! dmesg | grep -qi '$K32'"
