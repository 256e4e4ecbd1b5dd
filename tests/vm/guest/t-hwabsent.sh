# SPDX-License-Identifier: GPL-2.0
# trusted.source=caam or dcp on a guest without that hardware, a TPM
# attached all the same (tests/vm/boots-hw.sh): the stock trusted module
# refuses to load and says why, ours loads, every import fails with ENODEV
# and leaves no key. The host's log check shows no oops, WARN or hang.
# Sourced by /init with lib.sh loaded.
ENODEV="No such device"
src=$(sed -n 's/.*trusted\.source=\([a-z]*\).*/\1/p' /proc/cmdline)
K32=$(printf '%064d' 0 | tr 0 c)
case $src in
# what the stock backends print when their hardware is not there
caam) why="job ring requested, but none currently available" ;;
dcp) why="Test for zero'ed keys failed" ;;
*) why="(unknown source '$src')" ;;
esac

note "trusted.source=$src, and no $src hardware"
check "a TPM is attached, /dev/tpm0 (it must not be used instead)" test -c /dev/tpm0
modprobe dm-crypt
mark=$(klog_mark)
expect_err "the stock trusted module does not load: ENODEV" "$ENODEV" modprobe trusted
check "the kernel log says why: '$why'" sh -c "dmesg | tail -n +$((mark + 1)) | grep -qF \"$why\""
check "trusted.ko is not left loaded" test ! -d /sys/module/trusted
expect_err "a stock 'new' fails: ENODEV" "$ENODEV" keyctl add trusted st "new 32" @s
expect_err "a second modprobe fails the same way (nothing stuck)" "$ENODEV" modprobe trusted

check "our module loads all the same" modprobe trusted_import
expect_err "an import fails: ENODEV" "$ENODEV" \
	sh -c "printf 'import $K32' | keyctl padd trusted-import hw1 @s"
check "the refusal line names the missing stock type" \
	sh -c "dmesg | grep -q 'stock trusted key type not available'"
check "no key left behind" sh -c '! keyctl search @s trusted-import hw1 2>/dev/null'
check "the key's bytes are not in the kernel log" sh -c "! dmesg | grep -qi '$K32'"
