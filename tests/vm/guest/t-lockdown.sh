# SPDX-License-Identifier: GPL-2.0
# Root under lockdown: integrity still lets import-key read a key, as
# keyctl read may; confidentiality refuses import-key (it would export a
# kernel-held key into a blob), a plain import of bytes it brings works.
# Lockdown is raised at run time, after the modules are loaded (unsigned
# modules do not load once it is on). The epilogue then cannot ask
# kmemleak (debugfs is locked down) and says so.
# Sourced by /init inside its own session keyring, with lib.sh loaded.
load_modules
modprobe encrypted-keys
L=/sys/kernel/security/lockdown
mountpoint -q /sys/kernel/security || mount -t securityfs securityfs /sys/kernel/security
check "the lockdown LSM is there" test -f $L
head -c 32 /dev/urandom | keyctl padd user lk @s >/dev/null
head -c 32 /dev/urandom | keyctl padd logon lk:dm @s >/dev/null
check "before lockdown: import-key of a user key works" sh -c \
	"printf 'import-key user:lk %s' '$KH' | keyctl padd trusted-import l0 @s >/dev/null"
# integrity lockdown keeps root from changing the kernel, not from reading
# what it holds: import-key is still allowed, as keyctl read is
check "lockdown raised to integrity" sh -c "echo integrity > $L"
check "integrity lockdown: import-key of a user key works" sh -c \
	"printf 'import-key user:lk %s' '$KH' | keyctl padd trusted-import li @s >/dev/null"
check "integrity lockdown: the module parameters still read" \
	test -r /sys/module/trusted_import/parameters/imports
check "lockdown raised to confidentiality" sh -c "echo confidentiality > $L"
check "lockdown reads confidentiality" grep -q '\[confidentiality\]' $L
m=$(klog_mark)
for src in user:lk logon:lk:dm; do
	expect_err "confidentiality lockdown: import-key $src: EPERM" "$EPERM" \
		sh -c "printf 'import-key %s %s' '$src' '$KH' | keyctl padd trusted-import l1 @s"
done
check "confidentiality lockdown: no key l1 left" sh -c "! grep ' trusted-i ' /proc/keys | grep -q ' l1'"
check "confidentiality lockdown: the refusal names it" sh -c \
	"dmesg | tail -n +$((m + 1)) | grep -q 'locked down for confidentiality'"
check "confidentiality lockdown: a plain import still works" sh -c \
	"printf 'import %s %s' '$(randhex 32)' '$KH' | keyctl padd trusted-import l2 @s >/dev/null"
check "confidentiality lockdown: the stock type loads that blob" sh -c \
	"keyctl add trusted l2s \"load \$(keyctl pipe \$(keyctl search @s trusted-import l2))\" @s >/dev/null"
