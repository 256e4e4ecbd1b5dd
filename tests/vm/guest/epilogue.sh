# SPDX-License-Identifier: GPL-2.0
# Runs after every guest test: unload the module while keys of its type may
# still exist, and ask kmemleak (debug kernels). The host then scans the
# whole console log.
. /ti/lib.sh
if grep -q "^trusted_import " /proc/modules; then
	# /proc/keys prints the type in 9 columns: "trusted-i"
	live=$(grep -c ' trusted-i ' /proc/keys)
	elive=$(enc_import_keys)
	note "$live key(s) of type trusted-import and $elive of encrypted-import live before rmmod"
	check "rmmod trusted_import succeeds" rmmod trusted_import
	check "no trusted-import key survives rmmod" sh -c "! grep -q ' trusted-i ' /proc/keys"
	check "no encrypted-import key survives rmmod" test "$(enc_import_keys)" -eq 0
fi
# qemu.sh says ti_kmemleak=0 for a kernel built without kmemleak (lean)
if grep -q 'ti_kmemleak=0' /proc/cmdline; then
	note "kernel built without kmemleak: leak check skipped"
elif grep -qE '\[(integrity|confidentiality)\]' /sys/kernel/security/lockdown 2>/dev/null; then
	note "kernel locked down (debugfs refused): leak check not possible"
elif [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	leaks=$(cat /sys/kernel/debug/kmemleak)
	if [ -z "$leaks" ]; then
		ok "kmemleak finds no leak"
	else
		echo "$leaks"
		nok "kmemleak finds no leak"
	fi
else
	nok "kmemleak is available"
fi
