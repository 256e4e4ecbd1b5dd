# SPDX-License-Identifier: GPL-2.0
# trusted-import-migrate on its own: usage errors, the dry run, a full
# migration of a key file with the dm-crypt check, re-runs, every exit code
# of the interface, --from-key, hex keys, stdin and fd keys, and resuming a
# shred that was cut short; --type encrypted: a key file and an encrypted
# key under a user master moved under a trusted master.
# Disks: vda an empty 16 MiB volume, vdb an empty ext4 filesystem.
load_modules
mkdir -p /mnt
mount -t ext4 /dev/vdb /mnt || nok "mount the data filesystem"
D=/mnt

# mig ARGS...: run the tool; its output is in /tmp/mig.log, its status in rc
mig() {
	"$MIGRATE" "$@" > /tmp/mig.log 2>&1
	rc=$?
	sed 's/^/  | /' /tmp/mig.log
}
# rc_is DESC WANT: the last run exited WANT
rc_is() {
	check "$1 (exit $rc: $(tail -n 1 /tmp/mig.log))" test "$rc" -eq "$2"
}
said() { grep -q -- "$1" /tmp/mig.log; }
no_maps() { ! dmsetup ls 2>/dev/null | grep -q ti-migrate && ! ls /dev/mapper | grep -q ti-migrate; }
no_tmp() { ! ls -a "$D" | grep -q '\.tmp\.'; }
# no key of the tool's own making is left: temporary logon keys, imports
# (/proc/keys cuts type names to 9 characters: encrypted-import shows as
# "encrypted"), the second copy of a same-name check
no_temp_keys() { sleep 1; ! grep -qE ' (logon|trusted-i) |ti-migrate' /proc/keys &&
	! keyctl show @s 2>/dev/null | grep -q encrypted-import; }

note "usage errors exit 1 and change nothing"
mig
rc_is "no arguments" 1
mig --name a --blob $D/a.blob
rc_is "no key source" 1
mig --name a --blob $D/a.blob --key-stdin --key-file $D/a.key
rc_is "two key sources" 1
mig --name a --blob $D/a.blob --key-file $D/a.key --frobnicate
rc_is "an unknown option" 1
mig --name a --blob $D/a.blob --key-stdin --destroy-old
rc_is "--destroy-old with --key-stdin" 1
mig --name a --blob $D/a.blob --from-key asymmetric:x
rc_is "--from-key of a type it cannot import from" 1
mig --name a --blob $D/a.blob --key-file $D/a.key --options "$KH ti.verify=0"
rc_is "--options with ti.verify=0" 1
mig --name a --blob $D/a.blob --key-file $D/a.key --key-format base64
rc_is "--key-format base64" 1
mig --help
rc_is "--help exits 0" 0
check "--help prints the synopsis" said "Usage: trusted-import-migrate --name NAME --blob PATH SOURCE"
mig --version
rc_is "--version exits 0" 0
check "--version prints the name and a version" said "^trusted-import-migrate [0-9]"
check "usage errors wrote nothing" test -z "$(ls -A $D | grep -v lost+found)"

note "a dm-crypt volume keyed by a 64-byte key in a file"
head -c 64 /dev/urandom > $D/vol.key
cp $D/vol.key /tmp/volkey	# the test's own copy, for the later cases
volhex=$(filehex $D/vol.key)
dm_open vol "$volhex"
head -c 1048576 /dev/urandom > /dev/mapper/vol
sum=$(sum1m /dev/mapper/vol)
dm_close vol
sync
check "volume written, checksum $sum" test -n "$sum"

MIG="--name vkey --blob $D/vol.blob --key-file $D/vol.key --check-dmcrypt /dev/vda --destroy-old"

note "dry run"
mig --dry-run -v $MIG --options "$KH"
rc_is "--dry-run exits 0" 0
check "--dry-run prints the four steps" sh -c "grep -q 'step 1: import' /tmp/mig.log && grep -q 'step 4: shred' /tmp/mig.log"
check "--dry-run writes no blob" test ! -e $D/vol.blob
check "--dry-run leaves the key file as it was" test "$(filehex $D/vol.key)" = "$volhex"
check "--dry-run adds no key" sh -c "! grep -qE ' (logon|trusted|trusted-i) ' /proc/keys"
check "--dry-run maps nothing" no_maps

note "a wrong keyhandle: the kernel refuses the import"
mig $MIG --options keyhandle=0x81000099
rc_is "wrong keyhandle exits 3" 3
check "the message names the error and dmesg" said "import refused: .*(see dmesg"
check "wrong keyhandle: no blob written" test ! -e $D/vol.blob
check "wrong keyhandle: no temporary file left" no_tmp
check "wrong keyhandle: the key file is untouched" test "$(filehex $D/vol.key)" = "$volhex"

note "the migration: key file, dm-crypt check, --destroy-old"
mig -v $MIG --options "$KH"
rc_is "migration exits 0" 0
check "-v printed steps 1 to 4 in order" test "$(grep -o 'step [0-9]' /tmp/mig.log | tr -d '\n')" = "step 1step 2step 3step 4"
check "the last line is 'trusted-import-migrate: done'" test "$(tail -n 1 /tmp/mig.log)" = "trusted-import-migrate: done"
check "the key file is gone" test ! -e $D/vol.key
check "no .ti-shred file is left" test ! -e $D/vol.key.ti-shred
check "the blob is mode 0600" test "$(stat -c %a $D/vol.blob)" = 600
check "the blob is one line of hex" test "$(grep -cx '[0-9a-f]*' $D/vol.blob)" = 1
check "no temporary file is left" no_tmp
check "no ti-migrate mapping is left" no_maps
check "trusted key vkey is in @u" keyctl search @u trusted vkey
check "no temporary or imported key is left" no_temp_keys
keyctl add trusted volx "load $(cat $D/vol.blob) $KH" @s >/dev/null
check "the stock type loads the blob" keyctl search @s trusted volx
if dm_open new ":64:trusted:volx"; then
	check "the volume opens with :64:trusted:volx, checksum matches" \
		test "$(sum1m /dev/mapper/new)" = "$sum"
	dm_close new
else
	nok "the volume opens with :64:trusted:volx"
fi

note "re-run on the migrated device"
mig -v $MIG --options "$KH"
rc_is "re-run exits 0" 0
check "re-run says already migrated" test "$(tail -n 1 /tmp/mig.log)" = "trusted-import-migrate: already migrated"
check "re-run imported nothing" sh -c "! grep -q 'step 1' /tmp/mig.log"
mig -q $MIG --options "$KH"
rc_is "re-run with -q exits 0" 0
check "-q prints nothing" test ! -s /tmp/mig.log

note "nothing to migrate"
mig --name none --blob $D/none.blob --key-file $D/none.key --options "$KH"
rc_is "no key and no blob exits 2" 2
check "it says what is missing" said "nothing to migrate: no key at $D/none.key and no blob at $D/none.blob"
mig --name none --blob $D/none.blob --from-key logon:ti:none --options "$KH"
rc_is "no kernel key and no blob exits 2" 2
printf 'not hex\n' > $D/bad.key
mig --name bad --blob $D/bad.blob --key-file $D/bad.key --key-format hex --options "$KH"
rc_is "a key file that is not hex exits 2" 2
head -c 20 /dev/urandom > $D/short.key
mig --name bad --blob $D/bad.blob --key-file $D/short.key --options "$KH"
rc_is "a 20-byte key exits 2" 2
check "no blob for them" test ! -e $D/none.blob -a ! -e $D/bad.blob
rm -f $D/bad.key $D/short.key

note "a damaged blob, a tampered blob, a blob of another key: exit 5, nothing touched"
head -c 64 /dev/urandom > $D/k2.key
k2=$(filehex $D/k2.key)
sed 's/^\(.\{40\}\)./\1z/' $D/vol.blob > $D/k2.blob
cp $D/k2.blob /tmp/k2.blob
mig -v --name k2 --blob $D/k2.blob --key-file $D/k2.key --options "$KH" --destroy-old
rc_is "a damaged (not hex) blob exits 5" 5
check "damaged blob: the key file is untouched" test "$(filehex $D/k2.key)" = "$k2"
check "damaged blob: the blob is as it was" cmp -s $D/k2.blob /tmp/k2.blob
check "damaged blob: no trusted key k2" sh -c "! keyctl search @u trusted k2 2>/dev/null"
awk '{ c = substr($0, 201, 1); printf "%s%s%s\n", substr($0, 1, 200), (c == "0" ? "1" : "0"), substr($0, 202) }' \
	$D/vol.blob > $D/k2.blob
mig --name k2 --blob $D/k2.blob --key-file $D/k2.key --options "$KH" --destroy-old
rc_is "a tampered blob exits 5" 5
check "tampered blob: the key file is untouched" test "$(filehex $D/k2.key)" = "$k2"
cp $D/vol.blob $D/k2.blob
mig --name k2 --blob $D/k2.blob --key-file $D/k2.key --options "$KH" \
	--check-dmcrypt /dev/vda --destroy-old
rc_is "the blob of another key exits 5 (the dm-crypt check)" 5
check "another key's blob: the message says the volume decrypts differently" said "decrypts differently"
check "another key's blob: the key file is untouched" test "$(filehex $D/k2.key)" = "$k2"
check "another key's blob: the blob is still there" cmp -s $D/k2.blob $D/vol.blob
check "another key's blob: no mapping left" no_maps
check "another key's blob: no temporary key left" no_temp_keys
rm -f $D/k2.blob

note "--check-cmd: a failing check, then a passing one"
mig --name k2 --blob $D/k2.blob --key-file $D/k2.key --options "$KH" \
	--check-cmd 'echo "check-cmd sees $TI_KEY_NAME"; exit 3' --destroy-old
rc_is "a failing --check-cmd exits 5" 5
check "failing --check-cmd: the command ran with TI_KEY_NAME" said "check-cmd sees k2"
check "failing --check-cmd: the key file is untouched" test "$(filehex $D/k2.key)" = "$k2"
check "failing --check-cmd: the blob it wrote is removed again" test ! -e $D/k2.blob
check "failing --check-cmd: no trusted key k2 in @u" sh -c "! keyctl search @u trusted k2 2>/dev/null"
mig --name k2 --blob $D/k2.blob --key-file $D/k2.key --options "$KH" --destroy-old \
	--check-cmd 'keyctl describe "$TI_KEY_SERIAL" | grep -q "trusted: k2$"'
rc_is "a passing --check-cmd (TI_KEY_SERIAL is the trusted key) exits 0" 0
check "passing --check-cmd: blob written, key file shredded" test -s $D/k2.blob -a ! -e $D/k2.key

note "a hex key file, kept; then a shred cut short is finished"
printf '  %s\n\n' "$volhex" > $D/hex.key
mig --name hkey --blob $D/hex.blob --key-file $D/hex.key --key-format hex \
	--options "$KH" --check-dmcrypt /dev/vda
rc_is "hex key file with the dm-crypt check exits 0" 0
check "without --destroy-old the key file stays" test -f $D/hex.key
mv $D/hex.key $D/hex.key.ti-shred
mig -v --name hkey --blob $D/hex.blob --key-file $D/hex.key --key-format hex \
	--options "$KH" --check-dmcrypt /dev/vda --destroy-old
rc_is "re-run with a .ti-shred file left exits 0" 0
check "it finished the shred (step 4)" said "step 4: destroy old key"
check "it says already migrated" said "already migrated"
check "the .ti-shred file is gone" test ! -e $D/hex.key.ti-shred -a ! -e $D/hex.key

note "stdin and fd keys; a stale temporary file and a leftover mapping"
: > $D/.sin.blob.tmp.4242
dmsetup create ti-migrate-old-99999 --table "0 8 linear /dev/vda 0" && dmsetup mknodes ti-migrate-old-99999
mig --name sin --blob $D/sin.blob --key-stdin --options "$KH" --check-dmcrypt /dev/vda < /tmp/volkey
rc_is "key on stdin with the dm-crypt check exits 0" 0
check "the stale temporary file is removed" test ! -e $D/.sin.blob.tmp.4242
check "the leftover mapping of a dead run is removed" no_maps
ring=$(keyctl newring tiring @s)
mig --name sfd --blob $D/sfd.blob --key-fd 7 --options "$KH" --check-dmcrypt /dev/vda \
	--keyring "$ring" 7< /tmp/volkey
rc_is "key on fd 7 with the dm-crypt check exits 0" 0
check "--keyring ID: trusted key sfd is in that keyring" keyctl search "$ring" trusted sfd

note "a read-only directory: the blob cannot be written (4); the key file cannot be shredded (6)"
mkdir -p /ro
mount -t tmpfs -o size=1m tmpfs /ro
cp /tmp/volkey /ro/ro.key
mount -o remount,ro /ro
mig --name rok --blob /ro/ro.blob --key-file /ro/ro.key --options "$KH"
rc_is "a blob in a read-only directory exits 4" 4
check "exit 4: the key file is untouched" test "$(filehex /ro/ro.key)" = "$volhex"
mig --name rok --blob $D/ro.blob --key-file /ro/ro.key --options "$KH" --destroy-old
rc_is "a key file that cannot be shredded exits 6" 6
check "exit 6: the blob is complete" test -s $D/ro.blob
check "exit 6: the key file is still there" test -f /ro/ro.key
mount -o remount,rw /ro
mig --name rok --blob $D/ro.blob --key-file /ro/ro.key --options "$KH" --destroy-old
rc_is "re-run after exit 6 exits 0" 0
check "re-run after exit 6: the key file is shredded" test ! -e /ro/ro.key -a ! -e /ro/ro.key.ti-shred
umount /ro

note "--from-key: a logon key that a legacy script added, into @s"
keyctl padd logon ti:legacy @s < /tmp/volkey >/dev/null
check "logon key ti:legacy added" keyctl search @s logon ti:legacy
mig -v --name lkey --blob $D/logon.blob --from-key logon:ti:legacy --keyring @s \
	--options "$KH" --check-dmcrypt /dev/vda --destroy-old
rc_is "--from-key logon: migration with the dm-crypt check exits 0" 0
check "the logon key is revoked and unlinked" sh -c "! keyctl search @s logon ti:legacy 2>/dev/null"
check "no logon key is left at all" no_temp_keys
check "trusted key lkey is in @s (--keyring @s)" keyctl search @s trusted lkey
if dm_open lvol ":64:trusted:lkey"; then
	check "the volume opens with :64:trusted:lkey, checksum matches" \
		test "$(sum1m /dev/mapper/lvol)" = "$sum"
	dm_close lvol
else
	nok "the volume opens with :64:trusted:lkey"
fi
mig --name lkey --blob $D/logon.blob --from-key logon:ti:legacy --keyring @s \
	--options "$KH" --check-dmcrypt /dev/vda --destroy-old
rc_is "--from-key re-run without the logon key exits 0" 0
check "--from-key re-run says already migrated" said "already migrated"

note "--from-key: an encrypted key (its length comes from its own blob); a volume at an offset, another cipher"
# evol_open NAME KEYREF: /dev/vda from sector 8 on, aes-cbc-plain64
evol_open() {
	dmsetup create "$1" --table "0 $(($(blockdev --getsz /dev/vda) - 8)) crypt aes-cbc-plain64 $2 0 /dev/vda 8" &&
		dmsetup mknodes "$1"
}
modprobe encrypted-keys
head -c 32 /dev/urandom | keyctl padd user ti:kmk @s >/dev/null
keyctl add encrypted ti:ecr "new default user:ti:kmk 32" @s >/dev/null
check "encrypted key ti:ecr (32 bytes) under user:ti:kmk" keyctl search @s encrypted ti:ecr
esum=""
if evol_open evol ":32:encrypted:ti:ecr"; then
	head -c 1048576 /dev/urandom > /dev/mapper/evol
	esum=$(sum1m /dev/mapper/evol)
	dm_close evol
fi
check "volume at offset 8 keyed by :32:encrypted:ti:ecr" test -n "$esum"
mig -v --name ekey --blob $D/enc.blob --from-key encrypted:ti:ecr --keyring @s \
	--options "$KH" --check-dmcrypt /dev/vda --cipher aes-cbc-plain64 --offset 8 --destroy-old
rc_is "--from-key encrypted, --cipher aes-cbc-plain64 --offset 8 exits 0" 0
check "the encrypted key is revoked and unlinked" sh -c "! keyctl search @s encrypted ti:ecr 2>/dev/null"
if evol_open evol ":32:trusted:ekey"; then
	check "that volume opens with :32:trusted:ekey, checksum matches" \
		test "$(sum1m /dev/mapper/evol)" = "$esum"
	dm_close evol
else
	nok "that volume opens with :32:trusted:ekey"
fi

note "--type encrypted: a key file moved to an encrypted key under a trusted master"
dm_open evx "$volhex" && head -c 1048576 /dev/urandom > /dev/mapper/evx
xsum=$(sum1m /dev/mapper/evx)
dm_close evx
cp /tmp/volkey $D/ekf.key
EMIG="--type encrypted --master trusted:tmk --name ekf --blob $D/ekf.blob --key-file $D/ekf.key --check-dmcrypt /dev/vda"
mig $EMIG --destroy-old
rc_is "--type encrypted without its master loaded exits 3" 3
check "the message names the master" said "is the master trusted:tmk loaded"
check "no master: no blob, the key file untouched" test ! -e $D/ekf.blob -a "$(filehex $D/ekf.key)" = "$volhex"
# the master as the migration guide makes it: a stock new, piped, loaded
nid=$(keyctl add trusted tmk "new 32 $KH" @s)
keyctl pipe "$nid" > /tmp/tmk.blob
keyctl unlink "$nid" @s >/dev/null
tid=$(keyctl add trusted tmk "load $(cat /tmp/tmk.blob) $KH" @u 2>/tmp/err)
check "the master: a stock new's blob loads as trusted key tmk in @u ($(cat /tmp/err))" test -n "$tid"
mig --dry-run $EMIG --destroy-old
rc_is "--type encrypted --dry-run exits 0" 0
check "the plan names encrypted-import and the master" said "as encrypted-import key ekf of format default under trusted:tmk"
check "the dry run wrote nothing" test ! -e $D/ekf.blob
mig -v $EMIG --destroy-old
rc_is "--type encrypted: migration with the dm-crypt check exits 0" 0
check "the blob is the stock encrypted type's, under trusted:tmk" \
	test "$(cut -d' ' -f1-3 $D/ekf.blob)" = "default trusted:tmk 64"
check "the key file is shredded" test ! -e $D/ekf.key -a ! -e $D/ekf.key.ti-shred
check "encrypted key ekf is in @u" keyctl search @u encrypted ekf
check "no temporary or imported key is left" no_temp_keys
# dm-crypt, and the stock read of an encrypted key (for its master),
# search the session keyring: link @u there from now on
keyctl link @u @s >/dev/null
if dm_open evx ":64:encrypted:ekf"; then
	check "the volume opens with :64:encrypted:ekf, checksum matches" test "$(sum1m /dev/mapper/evx)" = "$xsum"
	dm_close evx
else
	nok "the volume opens with :64:encrypted:ekf"
fi
mig $EMIG --destroy-old
rc_is "--type encrypted re-run exits 0" 0
check "--type encrypted re-run says already migrated" said "already migrated"
keyctl unlink "$tid" @u >/dev/null
keyctl unlink "$(keyctl search @u encrypted ekf)" @u >/dev/null
mig $EMIG
rc_is "re-run with the master gone exits 5" 5
check "it says the blob does not load and names the master" said "does not load: .*is the master trusted:tmk loaded?"
check "the blob is kept" test -s $D/ekf.blob
tid=$(keyctl add trusted tmk "load $(cat /tmp/tmk.blob) $KH" @u 2>/tmp/err)
check "the master reloads from its blob ($(cat /tmp/err))" test -n "$tid"
mig --type encrypted --master trusted:other --name ekf --blob $D/ekf.blob --key-file $D/ekf.key
rc_is "a blob under another master than --master exits 5" 5
check "it says what the blob should be" said "not an encrypted key blob of format default under trusted:other"

note "--type encrypted: another key's blob fails the check; nothing is touched"
head -c 64 /dev/urandom > $D/ewr.key
cp $D/ekf.blob $D/ewr.blob
mig --type encrypted --master trusted:tmk --name ewr --blob $D/ewr.blob --key-file $D/ewr.key \
	--check-dmcrypt /dev/vda --destroy-old
rc_is "--type encrypted, another key's blob: exit 5" 5
check "the message says the volume decrypts differently" said "decrypts differently"
check "another key's blob: the blob and the key file are kept" test -s $D/ewr.blob -a -s $D/ewr.key
check "no encrypted key ewr" sh -c "! keyctl search @u encrypted ewr 2>/dev/null"
rm -f $D/ewr.blob $D/ewr.key
head -c 63 /dev/urandom > $D/e63.key
mig --type encrypted --master trusted:tmk --format enc32 --name e63 --blob $D/e63.blob --key-file $D/e63.key
rc_is "--format enc32 with 63 bytes exits 2" 2
check "it names the length the format takes" said "format enc32 takes 32"

note "--type encrypted: an encrypted key under user:ti:kmk2 moved under trusted:tmk, same name"
head -c 32 /dev/urandom | keyctl padd user ti:kmk2 @s >/dev/null
keyctl add encrypted ti:ecr2 "new default user:ti:kmk2 32" @s >/dev/null
fill_vol evy ":32:encrypted:ti:ecr2" /dev/vda /tmp/evy.sum
old=$(keyctl search @s encrypted ti:ecr2)
mig -v --type encrypted --master trusted:tmk --name ti:ecr2 --blob $D/ecr2.blob \
	--from-key encrypted:ti:ecr2 --keyring @s --check-dmcrypt /dev/vda --destroy-old
rc_is "--from-key encrypted:ti:ecr2 to the same name under trusted:tmk exits 0" 0
check "the dm-crypt check ran (against the old key)" said "check passed: /dev/vda decrypts the same"
new=$(keyctl search @s encrypted ti:ecr2)
check "ti:ecr2 in @s is a new key under trusted:tmk" sh -c \
	"test '$new' != '$old' && keyctl pipe '$new' | grep -q '^default trusted:tmk 32 '"
check "the old one is revoked" sh -c "! keyctl describe $old >/dev/null 2>&1"
open_sum "same name" evy ":32:encrypted:ti:ecr2" /dev/vda /tmp/evy.sum
mig -v --type encrypted --master trusted:tmk --name ti:ecr2 --blob $D/ecr2.blob \
	--from-key encrypted:ti:ecr2 --keyring @s --check-dmcrypt /dev/vda --destroy-old
rc_is "its re-run exits 0" 0
check "the re-run takes the key under trusted:tmk for the migrated one and destroys nothing" sh -c \
	"grep -q 'taken for the migrated key' /tmp/mig.log && grep -q 'already migrated' /tmp/mig.log && ! grep -q revoked /tmp/mig.log"
new=$(keyctl search @s encrypted ti:ecr2)
open_sum "same name, after the re-run" evy ":32:encrypted:ti:ecr2" /dev/vda /tmp/evy.sum
keyctl unlink "$new" @s >/dev/null
check "no temporary key is left" no_temp_keys

note "every blob written loads with the stock type"
for b in ekf ecr2; do
	check "$b.blob loads (encrypted)" keyctl add encrypted "ld$b" "load $(cat $D/$b.blob)" @s
done
for b in vol k2 hex sin sfd ro logon enc; do
	check "$b.blob loads" keyctl add trusted "ld$b" "load $(cat $D/$b.blob) $KH" @s
done
check "no ti-migrate mapping and no temporary file is left" sh -c "! dmsetup ls | grep -q ti-migrate && ! ls -a $D | grep -q '\.tmp\.'"
rm -f /tmp/volkey /tmp/k2.blob /tmp/tmk.blob /tmp/evy.sum
keyctl clear @s
keyctl clear @u
umount /mnt
