# SPDX-License-Identifier: GPL-2.0
# Two-boot migration, boot 2: a new VM with the same TPM state. Only the
# stock trusted type is used: our module is not even loaded.
modprobe dm-crypt
modprobe trusted
# the stock options of the backend under test (ti_kopts= on the command
# line; TPM 2.0's storage key when absent)
KOPTS=${ti_kopts-$KH}

check "boot 2: blob found on the second disk" test "$(sed -n 1p /dev/vdb)" = TIBLOB1
sum=$(sed -n 2p /dev/vdb)
blob=$(sed -n 3p /dev/vdb)
note "story: boot 2 loads the blob with the stock trusted type"
id=$(keyctl add trusted dmkey "load $blob $KOPTS" @s)
check "boot 2: keyctl add trusted ... load" test -n "$id"
note "story: open the volume with :64:trusted:dmkey"
dm_open vol ":64:trusted:dmkey"
check "boot 2: the volume opens with the trusted key" test -b /dev/mapper/vol
got=$(sum1m /dev/mapper/vol)
check "boot 2: checksum matches ($got)" test "$got" = "$sum"
dm_close vol
check "boot 2: trusted_import was never loaded" test ! -d /sys/module/trusted_import
