# SPDX-License-Identifier: GPL-2.0
# The hardware-only backends (CAAM, DCP) named by trusted.source= on a
# guest without that hardware, sourced by tests/suite.sh, which provides
# want, run_boot, fail, say, $out and $kdir. No emulator has either, so
# this is all that can be shown of them: the stock type does not come up
# (or, DCP without its self-test, cannot seal), ours loads, every import
# fails with the stock errno and leaves no key, and the kernel neither
# oopses nor hangs (tests/vm/guest/t-hwabsent.sh). A TPM is attached and
# must not be used instead. The kernels built with these backends (VARIANT
# +hwkeys, tests/vm/kernel-hwkeys-*.config) run these boots; the others
# skip them. TI_BOOTS="hw-absent" runs them alone.

if want hw-absent; then
	hw=()
	grep -qx CONFIG_TRUSTED_KEYS_CAAM=y "$kdir/.config" && hw+=(caam)
	grep -qx CONFIG_TRUSTED_KEYS_DCP=y "$kdir/.config" && hw+=(dcp)
	if [ ${#hw[@]} -eq 0 ]; then
		skip_boots hw-absent "$(cat "$kdir/.ti-kernelrelease") is built without CAAM or DCP trusted keys"
	else
		"$TI_ROOT/tests/vm/tpm.sh" "$out/tpm-hw" || fail "swtpm provisioning"
	fi
	for src in "${hw[@]}"; do
		run_boot "$src-absent" hwabsent --tpm "$out/tpm-hw" --append "trusted.source=$src"
	done
	# DCP without its zero-key self-test registers the type anyway: then
	# the seal is what finds the hardware missing
	if [[ " ${hw[*]} " == *" dcp "* ]]; then
		run_boot dcp-absent-noselftest hwabsent --tpm "$out/tpm-hw" \
			--append "trusted.source=dcp trusted.dcp_skip_zk_test=1"
	fi
fi
