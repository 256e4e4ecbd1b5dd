# SPDX-License-Identifier: GPL-2.0
# Two-boot migration into an encrypted key, boot 1: a dm-crypt volume keyed
# with a plaintext 64-byte key is moved under an encrypted key whose master
# is a trusted key, itself imported. This is the way on 5.10, whose
# dm-crypt takes encrypted keys but no trusted ones; it works the same on
# every later kernel. The move is trusted-import-migrate --type encrypted,
# as docs/migration.md's scenario 5 gives it. /dev/vda is the volume,
# /dev/vdb carries the two blobs and the checksum to boot 2
# (t-enc-migrate2.sh).
load_modules
modprobe encrypted-keys || nok "modprobe encrypted-keys"
KOPTS=${ti_kopts-$KH}

legacy_volume

note "story: a master key for the device, imported into the TPM and loaded by the stock type"
import_master @s "$KOPTS" || return 0

note "story: the volume's key becomes an encrypted key under trusted:kmk, with the field tool"
if "$MIGRATE" -v --type encrypted --master trusted:kmk --name dmkey --blob /tmp/dmkey.eblob \
	--key-file /tmp/volume.key --key-format hex --keyring @s \
	--check-dmcrypt /dev/vda --destroy-old > /tmp/mig.log 2>&1; then
	ok "boot 1: trusted-import-migrate --type encrypted from a hex key file"
else
	nok "boot 1: trusted-import-migrate --type encrypted from a hex key file: $(cat /tmp/mig.log)"
fi
check "boot 1: its dm-crypt check passed (the volume, old key against new)" \
	grep -q "check passed: /dev/vda decrypts the same" /tmp/mig.log
eblob=$(cat /tmp/dmkey.eblob)
check "boot 1: its blob is the stock encrypted type's" \
	test "$(echo "$eblob" | cut -d' ' -f1-3)" = "default trusted:kmk 64"

printf 'TIENC1\n%s\n%s\n%s\n' "$sum" "$tblob" "$eblob" > /dev/vdb
sync
check "boot 1: blobs stored" test "$(sed -n 4p /dev/vdb)" = "$eblob"

note "story: the tool shredded the plaintext key file (--destroy-old)"
check "boot 1: no plaintext key file is left" sh -c '! ls /tmp/*.key /tmp/*.ti-shred 2>/dev/null'
keyctl unlink "$(keyctl search @s encrypted dmkey)" @s >/dev/null
rm -f /tmp/dmkey.eblob /tmp/mig.log
