# SPDX-License-Identifier: GPL-2.0
# The TEE backend's guest boots (docs/tee-double.md), sourced by
# tests/suite.sh, which provides want, add, fail, say, $out, $kdir and $ko.
# No emulator runs OP-TEE's trusted-keys TA, so these boots load the
# test-only stand-in tests/tee/optee_double.c, built here against the same
# kernel tree, and boot with trusted.source=tee (the first with a TPM
# attached too, which must not be used). Kernels without the TEE backend
# (5.10) skip them.
# TI_BOOTS="tee" runs them alone.

# tee_boot NAME TEST [qemu.sh options]: run_boot with the TEE initramfs.
tee_boot() {
	local name=$1 test=$2
	shift 2
	boot_initrd=$out/initrd-tee.gz run_boot "$name" "$test" --append trusted.source=tee "$@"
}

if want tee; then
	krel=$(cat "$kdir/.ti-kernelrelease")
	if [ ! -f "$kdir/security/keys/trusted-keys/trusted_tee.c" ]; then
		# 5.10: the TEE backend of trusted keys came in 5.13
		skip_boots tee "$krel has no TEE backend for trusted keys"
	elif ! grep -qx CONFIG_TEE=y "$kdir/.config" ||
		! grep -qx CONFIG_TRUSTED_KEYS_TEE=y "$kdir/.config"; then
		skip_boots tee "$krel is built without CONFIG_TEE or CONFIG_TRUSTED_KEYS_TEE"
	elif ! teeko=$("$TI_ROOT/tests/tee/build.sh" "$kdir" "$out/tee-double"); then
		fail "the OP-TEE stand-in builds against $krel"
	elif ! "$TI_ROOT/tests/vm/initramfs.sh" "$kdir" "$ko" "$out/initrd-tee.gz" "$teeko"; then
		fail "the initramfs with the OP-TEE stand-in"
	else
		echo "ok - the OP-TEE stand-in builds against $krel" | add tee
		# with a TPM attached as well: trusted.source=tee must win over it
		"$TI_ROOT/tests/vm/tpm.sh" "$out/tpm-tee" || fail "swtpm provisioning"
		truncate -s 64M "$out/tee.img"
		tee_boot tee tee --tpm "$out/tpm-tee" --disk "$out/tee.img"

		# the two-boot migration: the volume and the blob's disk
		truncate -s 32M "$out/tee-vol.img"
		truncate -s 1M "$out/tee-blob.img"
		tee_boot tee-migrate-boot1 tee-migrate1 --disk "$out/tee-vol.img" \
			--disk "$out/tee-blob.img"
		tee_boot tee-migrate-boot2 tee-migrate2 --disk "$out/tee-vol.img" \
			--disk "$out/tee-blob.img"
	fi
fi
