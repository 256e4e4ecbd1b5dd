# SPDX-License-Identifier: GPL-2.0
# Two-boot migration on the TEE backend, boot 1 (no TPM, trusted.source=tee,
# the test-only OP-TEE stand-in): t-migrate1.sh's story with no stock
# options, plus proof that the TA sealed the key and the blob has OP-TEE's
# layout. /dev/vda is the volume, /dev/vdb carries the blob to boot 2.
check "boot 1: modprobe optee_double (the test-only OP-TEE stand-in)" modprobe optee_double
check "boot 1: no TPM, trusted.source=tee" \
	sh -c "test ! -e /dev/tpm0 && grep -qw trusted.source=tee /proc/cmdline"
seals=$(cat /sys/module/optee_double/parameters/seals)
ti_kopts=
. /ti/t-migrate1.sh
check "boot 1: the TA sealed it" \
	test "$(cat /sys/module/optee_double/parameters/seals)" -eq $((seals + 1))
check "boot 1: blob read back, OP-TEE's layout for 64 bytes" \
	sh -c "sed -n 3p /dev/vdb | grep -qE '^00([0-9a-f]{2}){96}\$'"
