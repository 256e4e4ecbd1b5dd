# SPDX-License-Identifier: GPL-2.0
# eCryptfs, boot 2 of 2 (after t-ecryptfs1.sh): the stock types alone load
# the trusted master and the two ecryptfs-format encrypted keys, and the
# private directory mounts with ecryptfs_sig= and ecryptfs_fnek_sig=, no
# passphrase anywhere: every file and every name reads back.
modprobe trusted
modprobe encrypted-keys
modprobe ecryptfs
search_user_keyring

check "boot 2: blobs found" test "$(sed -n 1p /dev/vdb)" = TIECR1
# shellcheck disable=SC2046
set -- $(sed -n 2p /dev/vdb)
sig=$1 fsig=$2
sed -n '6,$p' /dev/vdb | tr -d '\0' | grep . > /tmp/list
check "boot 2: keyctl add trusted kmk ... load" \
	sh -c "keyctl add trusted kmk 'load $(sed -n 3p /dev/vdb) $KH' @u >/dev/null"
check "boot 2: keyctl add encrypted $sig ... load (the data key)" \
	sh -c "keyctl add encrypted $sig 'load $(sed -n 4p /dev/vdb)' @u >/dev/null"
check "boot 2: keyctl add encrypted $fsig ... load (the filename key)" \
	sh -c "keyctl add encrypted $fsig 'load $(sed -n 5p /dev/vdb)' @u >/dev/null"
check "boot 2: no user key carries either signature" \
	sh -c "! keyctl search @s user $sig 2>/dev/null && ! keyctl search @s user $fsig 2>/dev/null"

mkdir -p /lower /mnt/priv
mount -t ext4 /dev/vda /lower
if mount -t ecryptfs -o "ecryptfs_sig=$sig,ecryptfs_fnek_sig=$fsig,ecryptfs_cipher=aes,ecryptfs_key_bytes=16" \
	/lower/priv /mnt/priv; then
	ok "boot 2: eCryptfs mounts with the encrypted keys"
	(cd /mnt/priv && find . -type f | sort | while read -r f; do sha256sum "$f"; done) > /tmp/got
	check "boot 2: every file and name reads back ($(wc -l < /tmp/list) files)" cmp -s /tmp/got /tmp/list
	umount /mnt/priv
else
	nok "boot 2: eCryptfs mounts with the encrypted keys"
fi
umount /lower
check "boot 2: trusted_import was never loaded" test ! -d /sys/module/trusted_import
