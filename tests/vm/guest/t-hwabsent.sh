# SPDX-License-Identifier: GPL-2.0
# trusted.source=caam or dcp on a guest without that hardware, a TPM
# attached all the same (tests/boots.conf: the hw-absent boots). What the stock code does
# then differs by backend; in every case the TPM is not used instead, an
# import fails with the errno a stock "new" gets, leaves no key, and the
# kernel log says why without naming the key. The host's log check shows
# no oops, WARN or hang. Sourced by /init with lib.sh loaded.
src=$(sed -n 's/.*trusted\.source=\([a-z]*\).*/\1/p' /proc/cmdline)
K32=$(printf '%064d' 0 | tr 0 c)
case "$src:$(grep -o 'trusted.dcp_skip_zk_test=1' /proc/cmdline)" in
caam:)
	# caam_blob_gen_init() finds no job ring: -ENODEV, which trusted.ko
	# swallows (encrypted-keys depends on it), so it loads with no type
	mod=loads type=absent why="job ring requested, but none currently available" ;;
dcp:)
	# the zero-key self-test cannot run without the DCP: -EINVAL, and
	# trusted.ko fails to load
	mod=fails type=absent why="Test for zero'ed keys failed" ;;
dcp:trusted.dcp_skip_zk_test=1)
	# without the self-test the DCP backend registers the type and only
	# the seal finds the hardware missing
	mod=loads type=present why="" ;;
*)
	nok "unexpected command line: trusted.source=$src"
	return 0 ;;
esac

note "trusted.source=$src without its hardware (trusted.ko $mod, the type $type)"
check "a TPM is attached, /dev/tpm0 (it must not be used instead)" test -c /dev/tpm0
mark=$(klog_mark)
if [ "$mod" = fails ]; then
	expect_err "modprobe trusted fails: EINVAL" "$EINVAL" modprobe trusted
	check "trusted.ko is not left loaded" test ! -d /sys/module/trusted
	# dm-crypt links against trusted.ko (trusted keys as dm-crypt keys):
	# a wrong trusted.source takes dm-crypt down with it
	expect_err "dm-crypt cannot load either: EINVAL" "$EINVAL" modprobe dm-crypt
else
	check "modprobe trusted succeeds" modprobe trusted
	check "dm-crypt loads" modprobe dm-crypt
fi
[ -z "$why" ] || check "the kernel log says why: '$why'" \
	sh -c "dmesg | tail -n +$((mark + 1)) | grep -qF \"$why\""

# the stock "new" sets the errno an import must match
if serr=$(keyctl add trusted st "new 32" @s 2>&1); then
	nok "a stock 'new' fails without the hardware (it made key $serr)"
	serr=""
else
	ok "a stock 'new' fails without the hardware: ${serr#*: }"
	serr=${serr#*: }
fi
if [ "$type" = absent ]; then
	check "the stock failure is ENODEV: no trusted key type" test "$serr" = "$ENODEV"
else
	check "the stock type is registered: its failure is not ENODEV" test "$serr" != "$ENODEV"
fi

check "our module loads all the same" modprobe trusted_import
expect_err "an import fails with the stock errno ($serr)" "${serr:-?}" \
	sh -c "printf 'import $K32' | keyctl padd trusted-import hw1 @s"
check "one refusal line in the kernel log" \
	sh -c "dmesg | tail -n +$((mark + 1)) | grep -q 'trusted_import: refused for uid 0: import: '"
check "no key left behind" sh -c '! keyctl search @s trusted-import hw1 2>/dev/null'
check "nothing of the key in the kernel log" sh -c "! dmesg | grep -qi '$K32'"
check "a second import fails the same way (nothing stuck)" \
	sh -c "! printf 'import $K32' | keyctl padd trusted-import hw2 @s 2>/dev/null"
