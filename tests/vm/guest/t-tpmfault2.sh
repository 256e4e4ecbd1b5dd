# SPDX-License-Identifier: GPL-2.0
# TPM faults, boot 2: swtpm restarted on the same state after it was killed.
# The blob sealed before the fault still loads to the same key, and imports
# work again.
load_modules
hex=$(sed -n 2p /dev/vda)
blob=$(sed -n 3p /dev/vda)
id=$(keyctl add trusted before "load $blob $KH" @s)
check "the blob sealed before the fault still loads" test -n "$id"
dm_open a "$hex" && dd if=/dev/urandom of=/dev/mapper/a bs=64k count=4 conv=fsync 2>/dev/null
s1=$(head -c 262144 /dev/mapper/a | sha256sum)
dm_close a
dm_open b ":32:trusted:before"
check "and it is the same key (dm-crypt)" test "$(head -c 262144 /dev/mapper/b | sha256sum)" = "$s1"
dm_close b
check "imports work again" sh -c "printf 'import %s %s' '$(randhex 32)' '$KH' | keyctl padd trusted-import after @s >/dev/null"
