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

EINVAL="Invalid argument"
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

# An existing description keeps its key.
hex=$(randhex 32)
id=$(printf 'import %s %s' "$hex" "$KH" | keyctl padd trusted-import dup @s)
b=$(keyctl pipe "$id")
refuse "import over an existing key" "File exists" "import $K32 $KH" dup
check "the existing key is unchanged" test "$(keyctl pipe "$id")" = "$b"

# Backend errors pass through with the stock type's own errno.
for opts in "keyhandle=0x81000077" "" "$KH hash=md5"; do
	stock=$(keyctl add trusted parity "new 32 $opts" @s 2>&1)
	stock=${stock#*: }
	refuse "backend error parity for '${opts:-no options}'" "$stock" "import $K32 $opts"
done

# Unprivileged: uid 1000 without capabilities. util-linux setpriv by its
# path: Debian's busybox sh prefers its own applets over PATH.
sleep 1
m=$(klog_mark)
expect_err "uid 1000 without CAP_SYS_ADMIN: EPERM" "Operation not permitted" \
	/usr/bin/setpriv --reuid=1000 --regid=1000 --clear-groups --inh-caps=-all \
	sh -c "printf 'import $K32 $KH' | keyctl padd trusted-import unpriv @u"
check "uid 1000: one line in the kernel log" \
	test "$(klog_since "$m" | grep -c 'refused for uid 1000: import needs CAP_SYS_ADMIN')" -eq 1

# No key byte in the log: neither the fixed pattern nor any random key.
check "kernel log never shows the test key" sh -c "! dmesg | grep -qi '$K32'"
