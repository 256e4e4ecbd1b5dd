# SPDX-License-Identifier: GPL-2.0
# Two-boot migration on a TPM 1.2, boot 1 (t-migrate1.sh's story with the
# SRK as parent): a dm-crypt volume keyed with a plaintext key in a file is
# moved under the TPM. /dev/vda is the volume, /dev/vdb carries the blob
# and the checksum to boot 2.
load_modules
K12=keyauth=6768033e216468247bd031a0a2d9876d79818f8f	# tpm.sh --tpm12
check "boot 1: TPM 1.2 present" test "$(cat /sys/class/tpm/tpm0/tpm_version_major)" = 1

note "story: the device has a dm-crypt volume whose 64-byte key sits in a file"
randhex 64 > /tmp/volume.key
dm_open vol "$(cat /tmp/volume.key)"
head -c 1048576 /dev/urandom > /tmp/data
dd if=/tmp/data of=/dev/mapper/vol bs=64k conv=fsync 2>/dev/null
sum=$(sum1m /dev/mapper/vol)
dm_close vol
check "boot 1: data written, checksum $sum" test "$sum" = "$(sum1m /tmp/data)"
rm -f /tmp/data

note "story: import the key from the file under the SRK; the kernel loads the new blob back and compares before it answers"
printf 'import %s %s\n' "$(cat /tmp/volume.key)" "$K12" > /tmp/payload
id=$(keyctl padd trusted-import dmkey @s < /tmp/payload)
check "boot 1: keyctl padd trusted-import from a file" test -n "$id"
blob=$(keyctl pipe "$id")
check "boot 1: a TPM_STORED_DATA blob read back" sh -c "echo '$blob' | grep -qE '^0101000000000000'"

note "story: store the blob (${#blob} hex digits) on the second disk"
printf 'TIBLOB12\n%s\n%s\n' "$sum" "$blob" > /dev/vdb
sync
check "boot 1: blob stored" test "$(sed -n 3p /dev/vdb)" = "$blob"

note "story: drop every copy of the plaintext key"
rm -f /tmp/volume.key /tmp/payload
keyctl unlink "$id" @s >/dev/null
check "boot 1: no plaintext key file is left" sh -c '! ls /tmp/*.key /tmp/payload 2>/dev/null'
