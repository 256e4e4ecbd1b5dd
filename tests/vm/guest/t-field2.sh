# SPDX-License-Identifier: GPL-2.0
# The field migrations, the boot after (t-field1.sh, t-logon.sh): every
# volume opens from its blob with the stock types alone; the boot script
# does not migrate twice; the tool says "already migrated".
# Disks: vda volume 1, vdb ext4 data, vdc volume 3, vdd volume 4, vde
# volume 2 (the logon key's, migrated by t-logon.sh).
modprobe dm-crypt
modprobe trusted
modprobe encrypted-keys
mkdir -p /mnt
mount -t ext4 /dev/vdb /mnt || nok "mount the data filesystem"
search_user_keyring

note "scenario 1: the key file is gone, the blob loads with the stock type"
check "scenario 1: no old key file" test ! -e /mnt/volume.key
check "scenario 1: load" keyctl add trusted dmkey "load $(cat /mnt/dmkey.blob) $KH" @u
open_sum "boot 2" vol1 ":64:trusted:dmkey" /dev/vda /mnt/vol1.sum

note "scenario 2: the logon key's volume"
check "scenario 2: load" keyctl add trusted dmkey2 "load $(cat /mnt/dmkey2.blob) $KH" @u
open_sum "boot 2" vol2 ":64:trusted:dmkey2" /dev/vde /mnt/vol2.sum

note "scenario 3: trusted:kmk, then the encrypted key under it"
check "scenario 3: trusted kmk loads" keyctl add trusted kmk "load $(cat /mnt/kmk.blob) $KH" @u
check "scenario 3: encrypted ecr loads under trusted:kmk" \
	keyctl add encrypted ecr "load $(cat /mnt/ecr.blob)" @u
open_sum "boot 2" vol3 ":64:encrypted:ecr" /dev/vdc /mnt/vol3.sum
check "scenario 3: no user:kmk exists" sh -c '! keyctl search @u user kmk 2>/dev/null'

note "scenario 4: the factory-provisioned volume"
check "scenario 4: load" keyctl add trusted devkey "load $(cat /mnt/devkey.blob) $KH" @u
open_sum "boot 2" vol4 ":64:trusted:devkey" /dev/vdd /mnt/vol4.sum

note "the boot script again: the marker stops it, the switch still flips"
modprobe trusted_import
export TI_MIGRATE_CONF=/mnt/etc/migrate.conf TI_MIGRATE_STAMP=/mnt/state/migrated
before=$(grep -c ' trusted ' /proc/keys)
/usr/libexec/trusted-import/migrate-once > /tmp/once.log 2>&1
rc=$?
cat /tmp/once.log
check "migrate-once on a migrated device exits 0 ($rc)" test "$rc" -eq 0
check "it loaded or imported nothing" test "$(grep -c ' trusted ' /proc/keys)" = "$before"
check "the off switch is flipped" grep -q disabled /sys/module/trusted_import/parameters/imports

note "the tool itself on a migrated device"
"$MIGRATE" --key-file /mnt/volume.key --name dmkey --blob /mnt/dmkey.blob \
	--options "$KH" --check-dmcrypt /dev/vda > /tmp/again.log 2>&1
rc=$?
cat /tmp/again.log
check "the tool re-run exits 0 ($rc)" test "$rc" -eq 0
check "and says already migrated" grep -q 'already migrated' /tmp/again.log
keyctl clear @u
umount /mnt
