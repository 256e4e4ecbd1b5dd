# SPDX-License-Identifier: GPL-2.0
# A kernel before 5.13, TPM 2.0, boot 1 of 2: dm-crypt there takes no
# trusted key, but an encrypted one; its master is the imported key, loaded
# by the stock type. /dev/vda is the volume, /dev/vdb carries the blobs and
# the checksum to boot 2 (t-legacy-enc2.sh).
load_modules
modprobe encrypted-keys || nok "modprobe encrypted-keys"

hex=$(randhex 64)
if ! id=$(printf 'import %s %s' "$hex" "$KH" | keyctl padd trusted-import kmk @s 2>/tmp/err); then
	nok "boot 1: import of the master key: $(cat /tmp/err)"
	return 0
fi
ok "boot 1: import of the master key"
hex=""
tblob=$(keyctl pipe "$id")
check "boot 1: the stock type loads its blob as trusted kmk" \
	sh -c "keyctl add trusted kmk 'load $tblob $KH' @s >/dev/null"
expect_err "boot 1: dm-crypt of this kernel takes no trusted key" "" \
	dm_open tvol ":64:trusted:kmk"
dmsetup remove tvol 2>/dev/null
if eid=$(keyctl add encrypted ek "new trusted:kmk 64" @s 2>/tmp/err); then
	ok "boot 1: an encrypted key under trusted:kmk"
else
	nok "boot 1: an encrypted key under trusted:kmk: $(cat /tmp/err)"
	return 0
fi
eblob=$(keyctl pipe "$eid")
check "boot 1: its blob names trusted:kmk" \
	test "$(echo "$eblob" | cut -d' ' -f1-3)" = "default trusted:kmk 64"
if dm_open vol ":64:encrypted:ek"; then
	head -c 1048576 /dev/urandom > /dev/mapper/vol
	sum=$(sum1m /dev/mapper/vol)
	dm_close vol
	ok "boot 1: volume written through :64:encrypted:ek"
else
	nok "boot 1: dm-crypt takes :64:encrypted:ek"
	sum=none
fi
printf 'TILEGENC1\n%s\n%s\n%s\n' "$sum" "$tblob" "$eblob" > /dev/vdb
sync
check "boot 1: blobs stored" test "$(sed -n 3p /dev/vdb)" = "$tblob"
