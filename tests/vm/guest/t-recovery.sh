# SPDX-License-Identifier: GPL-2.0
# Scenario 4, recovery: a machine with no TPM and no trusted-import opens
# the device's volume with the key the host recovered from escrow
# (openssl pkeyutl -decrypt), through plain dm-crypt as cryptsetup
# --type plain would. Disks: vda the device's volume 4, vdb the device's
# data filesystem (for the checksum), vdc the recovered key.
modprobe dm-crypt
mkdir -p /mnt
mount -t ext4 -o ro /dev/vdb /mnt || nok "mount the data filesystem"
check "this machine has no TPM" test ! -e /dev/tpm0
open_sum "the key recovered from escrow" rec \
	"$(head -c 64 /dev/vdc | tohex)" /dev/vda /mnt/vol4.sum
umount /mnt
