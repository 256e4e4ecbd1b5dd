# SPDX-License-Identifier: GPL-2.0
# The hardware-only backends (CAAM, DCP) named by trusted.source= on a
# guest without that hardware, sourced by tests/suite.sh, which provides
# want, run_boot, fail, say, $out and $kdir. No emulator has either, so
# this is all that can be shown of them: the stock trusted module refuses
# to load, ours loads, every import fails with ENODEV and leaves no key, and
# the kernel neither oopses nor hangs. A TPM is attached and must not be
# used instead. The kernels built with these backends (VARIANT +hwkeys,
# tests/vm/kernel-hwkeys-*.config) run one boot per backend; the others
# skip this. TI_BOOTS="hw-absent" runs it alone.

if want hw-absent; then
	hw=()
	grep -qx CONFIG_TRUSTED_KEYS_CAAM=y "$kdir/.config" && hw+=(caam)
	grep -qx CONFIG_TRUSTED_KEYS_DCP=y "$kdir/.config" && hw+=(dcp)
	if [ ${#hw[@]} -eq 0 ]; then
		if [[ " ${TI_BOOTS:-} " == *" hw-absent "* ]]; then
			fail "hw-absent: $(cat "$kdir/.ti-kernelrelease") is built without CAAM or DCP trusted keys"
		else
			say "hw-absent skipped: no CAAM or DCP trusted keys in this kernel"
		fi
	fi
	for src in "${hw[@]}"; do
		"$TI_ROOT/tests/vm/tpm.sh" "$out/tpm-$src" || fail "swtpm provisioning"
		run_boot "$src-absent" hwabsent --tpm "$out/tpm-$src" --append "trusted.source=$src"
	done
fi
