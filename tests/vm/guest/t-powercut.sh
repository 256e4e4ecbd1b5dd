# SPDX-License-Identifier: GPL-2.0
# Power cut during trusted-import-migrate. The host boots this test again and
# again on the same disks and TPM; on each boot with ti_pc=arm it kills QEMU
# at another point of the tool's run (tests/vm/qemu.sh --power-cut).
# Every boot first checks what the previous cut left: the old key or the new
# blob must open the volume, and a re-run of the tool must finish the
# migration. Then it puts the old state back and runs the tool once more,
# to be cut. /dev/vda: the dm-crypt volume; /dev/vdb: ext4 with the key file
# and the blob; /dev/vdc: the test's vault with a copy of the old key.
load_modules
mkdir -p /mnt
mount -t ext4 /dev/vdb /mnt || nok "mount the data filesystem"
KEYF=/mnt/volume.key
BLOB=/mnt/dmkey.blob
migrate() {
	"$MIGRATE" -v --name dmkey --blob "$BLOB" --key-file "$KEYF" \
		--options "$KH" --check-dmcrypt /dev/vda --destroy-old
}

if [ ! -f /mnt/sum ]; then
	note "first boot: a volume keyed by $KEYF"
	head -c 64 /dev/vdc > "$KEYF"
	dm_open vol "$(filehex "$KEYF")"
	head -c 1048576 /dev/urandom > /dev/mapper/vol
	sum1m /dev/mapper/vol > /mnt/sum
	dm_close vol
	sync
	check "volume written" test -s /mnt/sum
else
	sum=$(cat /mnt/sum)
	note "after the cut: $(ls -a /mnt | tr '\n' ' ')"
	by=""
	if [ -f "$KEYF" ] && dm_open old "$(filehex "$KEYF")" 2>/dev/null; then
		[ "$(sum1m /dev/mapper/old)" = "$sum" ] && by="old-key"
		dm_close old
	fi
	if [ -f "$BLOB" ] && keyctl add trusted pcblob "load $(cat "$BLOB") $KH" @s >/dev/null 2>&1; then
		if dm_open new ":64:trusted:pcblob" 2>/dev/null; then
			[ "$(sum1m /dev/mapper/new)" = "$sum" ] && by="$by new-blob"
			dm_close new
		fi
	fi
	keyctl clear @s
	by=${by# }
	check "the old key or the new blob opens the volume (${by:-neither})" test -n "$by"
	migrate > /tmp/rerun.log 2>&1
	rc=$?
	check "a re-run completes the migration (exit $rc: $(tail -n 1 /tmp/rerun.log))" test "$rc" -eq 0
	check "the old key file is gone" test ! -e "$KEYF" -a ! -e "$KEYF.ti-shred"
	check "no temporary file is left" sh -c "! ls -a /mnt | grep -q '\.tmp\.'"
	keyctl add trusted pcfinal "load $(cat "$BLOB") $KH" @s >/dev/null
	dm_open fin ":64:trusted:pcfinal" && by=$(sum1m /dev/mapper/fin) && dm_close fin
	check "the blob opens the volume, checksum matches" test "$by" = "$sum"
	keyctl clear @s
fi

if grep -qw 'ti_pc=arm' /proc/cmdline; then
	note "back to the old state, then migrate until the power goes"
	rm -f "$BLOB"
	head -c 64 /dev/vdc > "$KEYF"
	sync
	tap_raw "TI-POWERCUT-ARM"
	# the host polls for ARM; let it start watching the console first
	sleep 1
	migrate
	rc=$?
	check "the run to be cut: the tool succeeds when not cut (exit $rc)" test "$rc" -eq 0
	# the host cuts at once if its marker never came
	tap_raw "TI-POWERCUT-END"
	sleep 600
fi
umount /mnt
