# SPDX-License-Identifier: GPL-2.0
# The field migrations of docs/migration.md, first boot of the device.
# Disks: vda volume 1 (key in a file), vdb ext4 data, vdc volume 3 (key of
# an encrypted key whose master is user:kmk), vdd volume 4 (factory escrow),
# vde the factory's provisioning channel (the per-device key).
# Boot 2 (t-field2.sh) checks everything with the stock type only.
load_modules
search_user_keyring
mkdir -p /mnt
mount -t ext4 /dev/vdb /mnt || nok "mount the data filesystem"

note "scenario 3: an encrypted key whose master key is user:kmk, as eCryptfs uses"
head -c 32 /dev/urandom > /mnt/kmk.key
keyctl padd user kmk @u < /mnt/kmk.key >/dev/null
ecr=$(keyctl add encrypted ecr "new default user:kmk 64" @u)
check "scenario 3: encrypted key under user:kmk" test -n "$ecr"
keyctl pipe "$ecr" > /mnt/ecr.blob
fill_vol vol3 ":64:encrypted:ecr" /dev/vdc /mnt/vol3.sum
sync
note "scenario 3: import kmk's bytes from the kernel key"
"$MIGRATE" --from-key user:kmk --name kmk --blob /mnt/kmk.blob --options "$KH" > /tmp/s3.log 2>&1
rc=$?
check "scenario 3: kmk migrated (exit $rc)" test "$rc" -eq 0
check "scenario 3: trusted:kmk is loaded" keyctl search @u trusted kmk
expect_err "scenario 3: the kernel will not switch the master's type by update" \
	"$EINVAL" keyctl update "$ecr" "update trusted:kmk"
note "scenario 3: the encrypted key itself moves under trusted:kmk (same name, same bytes)"
old=$ecr
"$MIGRATE" -v --type encrypted --master trusted:kmk --name ecr --blob /mnt/ecr.blob.new \
	--from-key encrypted:ecr --check-dmcrypt /dev/vdc --destroy-old > /tmp/s3e.log 2>&1
rc=$?
cat /tmp/s3e.log
check "scenario 3: ecr migrated, the dm-crypt check against the old key passed (exit $rc)" \
	sh -c "test $rc -eq 0 && grep -q 'check passed' /tmp/s3e.log"
check "scenario 3: the new blob names trusted:kmk" grep -q '^default trusted:kmk 64 ' /mnt/ecr.blob.new
check "scenario 3: the old encrypted key is revoked" sh -c "! keyctl describe $old >/dev/null 2>&1"
r=$(keyctl newring ti-check @s)
check "scenario 3: it loads under trusted:kmk" \
	keyctl add encrypted ecrchk "load $(cat /mnt/ecr.blob.new)" "$r"
open_sum "scenario 3: and holds the same data key" vol3 ":64:encrypted:ecrchk" /dev/vdc /mnt/vol3.sum
keyctl unlink "$r" @s >/dev/null
mv /mnt/ecr.blob /mnt/ecr.blob.user-kmk
mv /mnt/ecr.blob.new /mnt/ecr.blob
sync
note "scenario 3: the check passes, so the tool may now shred kmk's file"
"$MIGRATE" --key-file /mnt/kmk.key --name kmk --blob /mnt/kmk.blob --options "$KH" \
	--check-cmd 'r=$(keyctl newring ti-chk @s) && keyctl add encrypted e "load $(cat /mnt/ecr.blob)" "$r" >/dev/null; rc=$?; keyctl unlink "$r" @s; exit $rc' \
	--destroy-old > /tmp/s3b.log 2>&1
rc=$?
cat /tmp/s3b.log
check "scenario 3: re-run with --destroy-old exits 0 ($rc)" test "$rc" -eq 0
check "scenario 3: kmk's file is gone" test ! -e /mnt/kmk.key
keyctl revoke "$(keyctl search @u user kmk)"
rm -f /mnt/ecr.blob.user-kmk

note "scenario 4: the factory provisions a per-device key; the device imports it and keys a new volume with it"
head -c 64 /dev/vde > /tmp/device.key
"$MIGRATE" --key-file /tmp/device.key --name devkey --blob /mnt/devkey.blob \
	--options "$KH" --destroy-old > /tmp/s4.log 2>&1
rc=$?
check "scenario 4: device key imported (exit $rc)" test "$rc" -eq 0
check "scenario 4: the plaintext copy is gone" test ! -e /tmp/device.key
dd if=/dev/zero of=/dev/vde bs=64 count=1 conv=fsync 2>/dev/null
fill_vol vol4 ":64:trusted:devkey" /dev/vdd /mnt/vol4.sum

note "scenario 1: a volume whose key sits in a file, migrated by the boot script"
head -c 64 /dev/urandom > /mnt/volume.key
fill_vol vol1 "$(filehex /mnt/volume.key)" /dev/vda /mnt/vol1.sum
sync
mkdir -p /mnt/etc /mnt/state
cat > /mnt/etc/migrate.conf <<CONF
NAME=dmkey
BLOB=/mnt/dmkey.blob
KEY_FILE=/mnt/volume.key
OPTIONS="$KH"
CHECK_DMCRYPT=/dev/vda
DESTROY_OLD=yes
CONF
export TI_MIGRATE_CONF=/mnt/etc/migrate.conf TI_MIGRATE_STAMP=/mnt/state/migrated
/usr/libexec/trusted-import/migrate-once > /tmp/s1.log 2>&1
rc=$?
cat /tmp/s1.log
check "scenario 1: migrate-once exits 0 ($rc)" test "$rc" -eq 0
check "scenario 1: the done-marker is written" test -f /mnt/state/migrated
check "scenario 1: the old key file is gone" test ! -e /mnt/volume.key
check "scenario 1: the blob is mode 0600" test "$(stat -c %a /mnt/dmkey.blob)" = 600
check "scenario 1: the off switch is flipped" grep -q disabled /sys/module/trusted_import/parameters/imports
expect_err "scenario 1: imports are refused now" "$EPERM" \
	sh -c "printf 'import %s' $(randhex 32) | keyctl padd trusted-import late @s"
check "scenario 1: trusted:dmkey is loaded for this boot" keyctl search @u trusted dmkey
open_sum "scenario 1" vol1 ":64:trusted:dmkey" /dev/vda /mnt/vol1.sum
keyctl clear @u
umount /mnt
