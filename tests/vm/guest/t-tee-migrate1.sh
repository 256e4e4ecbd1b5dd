# SPDX-License-Identifier: GPL-2.0
# Two-boot migration on the TEE backend, boot 1 (no TPM, trusted.source=tee,
# the test-only OP-TEE stand-in): a dm-crypt volume keyed with a plaintext
# key in a file is moved under the TEE. /dev/vda is the volume, /dev/vdb
# carries the blob and the checksum to boot 2.
check "boot 1: modprobe optee_double (the test-only OP-TEE stand-in)" modprobe optee_double
load_modules
check "boot 1: no TPM, trusted.source=tee" \
	sh -c "test ! -e /dev/tpm0 && grep -qw trusted.source=tee /proc/cmdline"

note "story: the device has a dm-crypt volume whose 64-byte key sits in a file"
randhex 64 > /tmp/volume.key
dm_open vol "$(cat /tmp/volume.key)"
head -c 1048576 /dev/urandom > /tmp/data
dd if=/tmp/data of=/dev/mapper/vol bs=64k conv=fsync 2>/dev/null
sum=$(sum1m /dev/mapper/vol)
dm_close vol
check "boot 1: data written, checksum $sum" test "$sum" = "$(sum1m /tmp/data)"
rm -f /tmp/data

note "story: import the key from the file: the TEE seals it"
seals=$(cat /sys/module/optee_double/parameters/seals)
printf 'import %s\n' "$(cat /tmp/volume.key)" > /tmp/payload
id=$(keyctl padd trusted-import dmkey @s < /tmp/payload)
check "boot 1: keyctl padd trusted-import from a file" test -n "$id"
check "boot 1: the TA sealed it" \
	test "$(cat /sys/module/optee_double/parameters/seals)" -eq $((seals + 1))
blob=$(keyctl pipe "$id")
check "boot 1: blob read back, OP-TEE's layout for 64 bytes" \
	sh -c "echo '$blob' | grep -qE '^00([0-9a-f]{2}){96}\$'"

note "story: store the blob (${#blob} hex digits) on the second disk"
printf 'TIBLOB1\n%s\n%s\n' "$sum" "$blob" > /dev/vdb
sync
check "boot 1: blob stored" test "$(sed -n 3p /dev/vdb)" = "$blob"

note "story: drop every copy of the plaintext key"
rm -f /tmp/volume.key /tmp/payload
keyctl unlink "$id" @s >/dev/null
check "boot 1: no plaintext key file is left" sh -c '! ls /tmp/*.key /tmp/payload 2>/dev/null'
