# SPDX-License-Identifier: GPL-2.0
# Two-boot migration into an encrypted key, boot 1: a dm-crypt volume keyed
# with a plaintext 64-byte key is moved under an encrypted key whose master
# is a trusted key, itself imported. This is the way on 5.10, whose
# dm-crypt takes encrypted keys but no trusted ones; it works the same on
# every later kernel. /dev/vda is the volume, /dev/vdb carries the two
# blobs and the checksum to boot 2 (t-enc-migrate2.sh).
load_modules
modprobe encrypted-keys || nok "modprobe encrypted-keys"
KOPTS=${ti_kopts-$KH}

legacy_volume

note "story: a master key for the device, imported into the TPM and loaded by the stock type"
import_master @s "$KOPTS" || return 0

note "story: the volume's key becomes an encrypted key under trusted:kmk"
printf 'import trusted:kmk %s\n' "$(cat /tmp/volume.key)" > /tmp/payload
if eid=$(keyctl padd encrypted-import dmkey @s < /tmp/payload 2>/tmp/err); then
	ok "boot 1: keyctl padd encrypted-import from a file"
else
	nok "boot 1: keyctl padd encrypted-import from a file: $(cat /tmp/err)"
fi
eblob=$(keyctl pipe "$eid")
check "boot 1: its blob is the stock encrypted type's" \
	test "$(echo "$eblob" | cut -d' ' -f1-3)" = "default trusted:kmk 64"

printf 'TIENC1\n%s\n%s\n%s\n' "$sum" "$tblob" "$eblob" > /dev/vdb
sync
check "boot 1: blobs stored" test "$(sed -n 4p /dev/vdb)" = "$eblob"

note "story: drop every copy of the plaintext key"
rm -f /tmp/volume.key /tmp/payload
keyctl unlink "$eid" @s >/dev/null
check "boot 1: no plaintext key file is left" sh -c '! ls /tmp/*.key /tmp/payload 2>/dev/null'
