# SPDX-License-Identifier: GPL-2.0
# Two-boot migration on the TEE backend, boot 2: a new VM, the same TEE
# (the stand-in with the same built-in test secret). Only the stock trusted
# type is used: trusted_import is not even loaded.
check "boot 2: modprobe optee_double (the same test-only TEE)" modprobe optee_double
modprobe dm-crypt
check "boot 2: modprobe trusted" modprobe trusted

check "boot 2: blob found on the second disk" test "$(sed -n 1p /dev/vdb)" = TIBLOB1
sum=$(sed -n 2p /dev/vdb)
blob=$(sed -n 3p /dev/vdb)
note "story: boot 2 loads the blob with the stock trusted type"
id=$(keyctl add trusted dmkey "load $blob" @s)
check "boot 2: keyctl add trusted ... load" test -n "$id"
check "boot 2: the TA unsealed it" \
	test "$(cat /sys/module/optee_double/parameters/unseals)" -eq 1
note "story: open the volume with :64:trusted:dmkey"
dm_open vol ":64:trusted:dmkey"
check "boot 2: the volume opens with the trusted key" test -b /dev/mapper/vol
got=$(sum1m /dev/mapper/vol)
check "boot 2: checksum matches ($got)" test "$got" = "$sum"
dm_close vol
check "boot 2: trusted_import was never loaded" test ! -d /sys/module/trusted_import
