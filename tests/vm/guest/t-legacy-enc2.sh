# SPDX-License-Identifier: GPL-2.0
# A kernel before 5.13, TPM 2.0, boot 2 of 2 (after t-legacy-enc1.sh): the
# stock types alone load both blobs and open the volume.
modprobe dm-crypt
modprobe trusted
modprobe encrypted-keys

check "boot 2: blobs found" test "$(sed -n 1p /dev/vdb)" = TILEGENC1
sum=$(sed -n 2p /dev/vdb)
tblob=$(sed -n 3p /dev/vdb)
eblob=$(sed -n 4p /dev/vdb)
check "boot 2: the stock type loads the trusted blob" \
	sh -c "keyctl add trusted kmk 'load $tblob $KH' @s >/dev/null"
check "boot 2: the encrypted blob loads under it" \
	sh -c "keyctl add encrypted ek 'load $eblob' @s >/dev/null"
if dm_open vol ":64:encrypted:ek"; then
	got=$(sum1m /dev/mapper/vol)
	check "boot 2: the volume opens, checksum matches ($got)" test "$got" = "$sum"
	dm_close vol
else
	nok "boot 2: dm-crypt takes :64:encrypted:ek"
fi
check "boot 2: trusted_import was never loaded" test ! -d /sys/module/trusted_import
