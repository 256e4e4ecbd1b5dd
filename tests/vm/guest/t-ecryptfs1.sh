# SPDX-License-Identifier: GPL-2.0
# eCryptfs, boot 1 of 2: a private directory the legacy way, mounted by
# passphrase with filename encryption (the two auth tokens that
# ecryptfs-utils makes of the passphrase, made on the host by
# tests/vm/ecryptfs-tokens.py and added as ecryptfs-add-passphrase adds
# them: user keys in @u), then migrated by trusted-import-migrate: each
# token's FEKEK into an ecryptfs-format encrypted key under an imported
# trusted master, and the tokens revoked.
# /dev/vda: the tokens; /dev/vdb: the lower filesystem (ext4); /dev/vdc
# carries the blobs and the file list to boot 2 (t-ecryptfs2.sh). At the
# end the host scans guest RAM for the data key's FEKEK (as memscan does;
# init_on_free=1): this script never holds it in a variable.
load_modules
modprobe encrypted-keys || nok "modprobe encrypted-keys"
search_user_keyring
modprobe ecryptfs
check "eCryptfs is in this kernel" grep -qw ecryptfs /proc/filesystems

# shellcheck disable=SC2046
set -- $(dd if=/dev/vda bs=1024 skip=2 count=1 2>/dev/null | tr -d '\0')
check "the host's tokens are on /dev/vda" test "$1" = TIECR
sig=$2 fsig=$3
dd if=/dev/vda bs=740 count=1 2>/dev/null | keyctl padd user "$sig" @u >/dev/null
dd if=/dev/vda bs=1024 skip=1 count=1 2>/dev/null | head -c 740 | keyctl padd user "$fsig" @u >/dev/null
check "the passphrase's two auth tokens are user keys in @u" \
	sh -c "keyctl search @u user $sig >/dev/null && keyctl search @u user $fsig >/dev/null"

OPTS="ecryptfs_sig=$sig,ecryptfs_fnek_sig=$fsig,ecryptfs_cipher=aes,ecryptfs_key_bytes=16"
mkdir -p /lower /mnt/priv
mount -t ext4 /dev/vdb /lower && mkdir -p /lower/priv
check "the legacy mount, by passphrase, with filename encryption" \
	mount -t ecryptfs -o "$OPTS" /lower/priv /mnt/priv
mkdir -p "/mnt/priv/a dir/deeper"
for f in notes.txt "photo 1.jpg" "a dir/deeper/data.bin"; do
	head -c $((4096 + $(od -An -N2 -tu2 /dev/urandom))) /dev/urandom > "/mnt/priv/$f"
done
(cd /mnt/priv && find . -type f | sort | while read -r f; do sha256sum "$f"; done) > /tmp/list
umount /mnt/priv
check "boot 1: 3 files written, their names encrypted in the lower directory" sh -c \
	"test \$(wc -l < /tmp/list) -eq 3 && test \$(ls /lower/priv | grep -c '^ECRYPTFS_FNEK_ENCRYPTED\.') -eq 3 && test -z \"\$(find /lower/priv -name notes.txt -o -name 'photo 1.jpg' -o -name 'a dir' -o -name data.bin)\""

note "story: migrate: a trusted master, then each token's FEKEK under it, with the field tool"
import_master @u "$KH" || return 0
for s in "$sig" "$fsig"; do
	# the tool hands the kernel "import-key ecryptfs trusted:kmk user:SIG":
	# neither the passphrase nor the FEKEK passes through it
	if "$MIGRATE" -v --type encrypted --master trusted:kmk --format ecryptfs \
		--name "$s" --blob "/tmp/$s.blob" --from-key "user:$s" --destroy-old > /tmp/mig.log 2>&1; then
		ok "boot 1: trusted-import-migrate moved auth token $s"
	else
		nok "boot 1: trusted-import-migrate moved auth token $s: $(cat /tmp/mig.log)"
	fi
done
check "boot 1: the old user keys are gone (eCryptfs tries user keys first)" \
	sh -c "! keyctl search @u user $sig 2>/dev/null && ! keyctl search @u user $fsig 2>/dev/null"
check "boot 1: the two ecryptfs-format encrypted keys are in @u" \
	sh -c "keyctl search @u encrypted $sig >/dev/null && keyctl search @u encrypted $fsig >/dev/null"
if mount -t ecryptfs -o "$OPTS" /lower/priv /mnt/priv; then
	(cd /mnt/priv && find . -type f | sort | while read -r f; do sha256sum "$f"; done) > /tmp/got
	check "boot 1: the migrated keys mount it, every file and name reads back" cmp -s /tmp/got /tmp/list
	umount /mnt/priv
else
	nok "boot 1: the migrated keys mount it"
fi
# the wrong key below must not meet the right ones
keyctl unlink "$(keyctl search @u encrypted "$sig")" @u >/dev/null
keyctl unlink "$(keyctl search @u encrypted "$fsig")" @u >/dev/null
{
	echo TIECR1
	echo "$sig $fsig"
	echo "$tblob"
	cat "/tmp/$sig.blob" "/tmp/$fsig.blob"
	cat /tmp/list
} > /dev/vdc
sync
check "boot 1: blobs stored" test "$(sed -n 4p /dev/vdc)" = "$(cat "/tmp/$sig.blob")"
check "boot 1: each is an ecryptfs-format blob under trusted:kmk" \
	sh -c "sed -n 4,5p /dev/vdc | cut -d' ' -f1-3 | uniq | grep -qx 'ecryptfs trusted:kmk 64'"

# A one-byte-wrong data key (the filename key right) must not give the data:
# the token's FEKEK with its first byte changed, never in a variable here
if { printf 'import ecryptfs trusted:kmk '
	dd if=/dev/vda bs=1 skip=648 count=64 2>/dev/null | tohex | sed 's/^00/01/;t;s/^../00/'
} | keyctl padd encrypted-import "$sig" @s >/tmp/wid 2>/tmp/err &&
	keyctl add encrypted "$sig" "load $(keyctl pipe "$(cat /tmp/wid)")" @s >/dev/null &&
	keyctl add encrypted "$fsig" "load $(cat "/tmp/$fsig.blob")" @s >/dev/null &&
	mount -t ecryptfs -o "$OPTS" /lower/priv /mnt/priv; then
	check "a one-byte-wrong FEKEK does not give the data" sh -c \
		"! (cd /mnt/priv && find . -type f | sort | while read -r f; do sha256sum \"\$f\"; done) 2>/dev/null | cmp -s - /tmp/list"
	umount /mnt/priv
else
	nok "a one-byte-wrong FEKEK: import, load and mount: $(cat /tmp/err)"
fi
umount /lower
rm -f /tmp/*.blob /tmp/list /tmp/got /tmp/mig.log

note "drop every copy the test holds (the wrong key shares 63 bytes), then let the host scan RAM"
keyctl clear @s
keyctl clear @u
memscan_now /dev/vda 'user|encrypted|trusted-i'
