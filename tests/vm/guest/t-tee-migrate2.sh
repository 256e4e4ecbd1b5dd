# SPDX-License-Identifier: GPL-2.0
# Two-boot migration on the TEE backend, boot 2: a new VM, the same TEE
# (the stand-in with the same built-in test secret): t-migrate2.sh's story
# with no stock options, plus proof that the TA unsealed the blob.
check "boot 2: modprobe optee_double (the same test-only TEE)" modprobe optee_double
check "boot 2: modprobe trusted" modprobe trusted
ti_kopts=
. /ti/t-migrate2.sh
check "boot 2: the TA unsealed it" \
	test "$(cat /sys/module/optee_double/parameters/unseals)" -eq 1
