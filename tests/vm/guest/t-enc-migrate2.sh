# SPDX-License-Identifier: GPL-2.0
# Two-boot migration into an encrypted key, boot 2 (after
# t-enc-migrate1.sh): the stock types alone load both blobs, and dm-crypt
# opens the volume through the encrypted key.
modprobe dm-crypt
modprobe trusted
modprobe encrypted-keys
KOPTS=${ti_kopts-$KH}

check "boot 2: blobs found" test "$(sed -n 1p /dev/vdb)" = TIENC1
sum=$(sed -n 2p /dev/vdb)
tblob=$(sed -n 3p /dev/vdb)
eblob=$(sed -n 4p /dev/vdb)
check "boot 2: keyctl add trusted kmk ... load" \
	sh -c "keyctl add trusted kmk 'load $tblob $KOPTS' @s >/dev/null"
check "boot 2: keyctl add encrypted dmkey ... load, under it" \
	sh -c "keyctl add encrypted dmkey 'load $eblob' @s >/dev/null"
if dm_open vol ":64:encrypted:dmkey"; then
	got=$(sum1m /dev/mapper/vol)
	check "boot 2: the volume opens with the encrypted key, checksum matches ($got)" test "$got" = "$sum"
	dm_close vol
else
	nok "boot 2: dm-crypt takes :64:encrypted:dmkey"
fi
check "boot 2: trusted_import was never loaded" test ! -d /sys/module/trusted_import
