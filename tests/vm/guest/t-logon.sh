# SPDX-License-Identifier: GPL-2.0
# Scenario 2 of docs/migration.md: a volume whose key is a logon key that a
# legacy boot script adds. trusted-import-migrate --from-key moves it under
# the TPM; its bytes never enter userspace, and afterwards they are nowhere
# in guest RAM: the host scans it (memscan.py) as in t-memscan.sh.
# Disks: vda volume 2, vdb ext4 data, vdc the legacy script's key store
# (the host wrote the key there; nothing in this script reads it into a
# variable).
load_modules
search_user_keyring
mkdir -p /mnt
mount -t ext4 /dev/vdb /mnt || nok "mount the data filesystem"
check "the guest zeroes memory on free" grep -q 'init_on_free=1' /proc/cmdline

note "the legacy boot script: the key goes from its store into a logon key"
head -c 64 /dev/vdc | keyctl padd logon legacy:vol2 @u >/dev/null
check "logon key added" keyctl search @u logon legacy:vol2
fill_vol vol2 ":64:logon:legacy:vol2" /dev/vda /mnt/vol2.sum
sync

note "migrate from the kernel key"
"$MIGRATE" --from-key logon:legacy:vol2 --name dmkey2 --blob /mnt/dmkey2.blob \
	--options "$KH" --check-dmcrypt /dev/vda --destroy-old > /tmp/s2.log 2>&1
rc=$?
cat /tmp/s2.log
check "scenario 2: migrated (exit $rc)" test "$rc" -eq 0
check "scenario 2: the logon key is gone" sh -c '! keyctl search @u logon legacy:vol2 2>/dev/null'
check "scenario 2: trusted:dmkey2 is loaded" keyctl search @u trusted dmkey2
open_sum "scenario 2" vol2 ":64:trusted:dmkey2" /dev/vda /mnt/vol2.sum
umount /mnt

note "drop every copy the test itself holds, then let the host scan RAM"
keyctl clear @u
dd if=/dev/zero of=/dev/vdc bs=64 count=1 conv=fsync 2>/dev/null
memscan_now /dev/vdc 'logon|trusted|trusted-i'
