# SPDX-License-Identifier: GPL-2.0
# Boot without a TPM: the stock trusted type is absent, then present but
# without a backend. Every import must fail with ENODEV and leave no key.
mod=$(find /lib/modules -name trusted_import.ko)
tko=$(find /lib/modules -name trusted.ko)
K32=$(printf '%064d' 0 | tr 0 b)

modprobe dm-crypt
note "no trusted.ko at all"
mv "$tko" /tmp/trusted.ko.hidden
check "our module loads without trusted.ko" insmod "$mod"
expect_err "import without trusted.ko: ENODEV" "$ENODEV" \
	sh -c "printf 'import $K32' | keyctl padd trusted-import nt1 @s"
check "no key left behind" sh -c '! keyctl search @s trusted-import nt1 2>/dev/null'
check "rmmod" rmmod trusted_import
mv /tmp/trusted.ko.hidden "$tko"

note "trusted.ko loaded, but no TPM: no backend registers the type"
modprobe trusted
expect_err "stock type itself: ENODEV" "$ENODEV" keyctl add trusted st "new 32" @s
check "our module loads" insmod "$mod"
expect_err "import without a backend: ENODEV" "$ENODEV" \
	sh -c "printf 'import $K32' | keyctl padd trusted-import nt2 @s"
check "a refusal line names the missing type" sh -c "dmesg | grep -q 'stock trusted key type not available'"
check "no key left behind" sh -c '! keyctl search @s trusted-import nt2 2>/dev/null'
