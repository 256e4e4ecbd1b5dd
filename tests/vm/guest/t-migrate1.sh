# SPDX-License-Identifier: GPL-2.0
# Two-boot migration, boot 1: a dm-crypt volume keyed with a plaintext key
# in a file is moved under the TPM. /dev/vda is the volume, /dev/vdb carries
# the blob and the checksum to boot 2.
load_modules
# the stock options of the backend under test (ti_kopts= on the command
# line; TPM 2.0's storage key when absent)
KOPTS=${ti_kopts-$KH}

legacy_volume

note "story: import the key from the file: the TPM seals it, the kernel loads the new blob back and compares before it answers"
printf 'import %s %s\n' "$(cat /tmp/volume.key)" "$KOPTS" > /tmp/payload
id=$(keyctl padd trusted-import dmkey @s < /tmp/payload)
check "boot 1: keyctl padd trusted-import from a file" test -n "$id"
blob=$(keyctl pipe "$id")
check "boot 1: blob read back" test -n "$blob"

note "story: store the blob (${#blob} hex digits) on the second disk"
printf 'TIBLOB1\n%s\n%s\n' "$sum" "$blob" > /dev/vdb
sync
check "boot 1: blob stored" test "$(sed -n 3p /dev/vdb)" = "$blob"

note "story: drop every copy of the plaintext key"
rm -f /tmp/volume.key /tmp/payload
keyctl unlink "$id" @s >/dev/null
check "boot 1: no plaintext key file is left" sh -c '! ls /tmp/*.key /tmp/payload 2>/dev/null'
