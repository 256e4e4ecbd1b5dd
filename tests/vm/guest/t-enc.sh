# SPDX-License-Identifier: GPL-2.0
# encrypted-import: existing bytes become stock encrypted blobs under a
# trusted master (imported by trusted-import, loaded by the stock type) or
# a user one. Each format and each import-key source is proven the way a
# device uses it: the stock type loads the blob and dm-crypt opens a volume
# written with the plain key. Then parity with the stock "new ... <hex>",
# and the bad-input campaign. /dev/vda and /dev/vdb are scratch volumes.
load_modules
modprobe encrypted-keys || nok "modprobe encrypted-keys"

# enc_add NAME PAYLOAD: an encrypted-import key NAME in @s, its id in $eid
# and the stock type's blob of it in $eblob; fails (eid empty) if refused
enc_add() {
	eid= eblob=
	eid=$(printf '%s' "$2" | keyctl padd encrypted-import "$1" @s 2>/tmp/err) || return 1
	eblob=$(keyctl pipe "$eid")
}

# enc_proof DESC NAME PAYLOAD FORMAT LEN DEVICE SUMFILE: encrypted-import
# key NAME, then the stock type loads its blob as encrypted NAME, whose
# decrypted data opens the volume on DEVICE written with the plain key
enc_proof() {
	if ! enc_add "$2" "$3"; then
		nok "$1: import refused: $(cat /tmp/err)"
		return
	fi
	ok "$1: import (verified in the module)"
	check "$1: the blob is the stock type's, '$4 ... $5'" \
		test "$(echo "$eblob" | cut -d' ' -f1,3)" = "$4 $5"
	check "$1: a second read gives the same blob" test "$(keyctl pipe "$eid")" = "$eblob"
	if keyctl add encrypted "$2" "load $eblob" @s >/dev/null 2>/tmp/err; then
		ok "$1: the stock encrypted type loads the blob"
		open_sum "$1" "p_$2" ":$5:encrypted:$2" "$6" "$7"
	else
		nok "$1: the stock encrypted type loads the blob: $(cat /tmp/err)"
	fi
}

# the master: imported once, then loaded by the stock type as trusted kmk
import_master @s "$KH"

# the legacy volumes, keyed with plain hex as a device has them today
k64=$(randhex 64) k32=$(randhex 32)
fill_vol v64 "$k64" /dev/vda /tmp/v64.sum
fill_vol v32 "$k32" /dev/vdb /tmp/v32.sum

enc_proof "default format" e64 "import trusted:kmk $k64" default 64 /dev/vda /tmp/v64.sum
rec=$(dmesg | grep 'audit: op=encrypted-import-import ' | grep 'desc="e64"' | tail -n 1)
check "audit: e64's record has its lengths (64, ${#eblob}) and verify=ok, no key byte" \
	sh -c "echo '$rec' | grep -q 'key_len=64 blob_len=${#eblob} verify=ok errno=0 res=1' && ! echo '$rec' | grep -qi '$k64'"
enc_proof "no format named: default" e64b "import trusted:kmk $k64 ti.verify=1" default 64 /dev/vda /tmp/v64.sum
enc_proof "enc32" e32 "import enc32 trusted:kmk $k32" enc32 32 /dev/vdb /tmp/v32.sum
sig=00112233deadbeef
enc_proof "ecryptfs" "$sig" "import ecryptfs trusted:kmk $k64" ecryptfs 64 /dev/vda /tmp/v64.sum
enc_proof "verification off" e64c "import trusted:kmk $k64 ti.verify=0" default 64 /dev/vda /tmp/v64.sum
head -c 32 /dev/urandom | keyctl padd user umk @s >/dev/null
enc_proof "user master" e64u "import user:umk $k64" default 64 /dev/vda /tmp/v64.sum

# import-key: a logon key, and an eCryptfs passphrase auth token as
# ecryptfs-utils leaves it (a 740-byte user key; the FEKEK at 648)
echo "$k64" | xxd -r -p | keyctl padd logon legacy:dm @s >/dev/null
enc_proof "import-key from a logon key" ek "import-key trusted:kmk logon:legacy:dm" default 64 /dev/vda /tmp/v64.sum
tsig=0123456789abcdef
{
	printf '\004\000'		# version 0x0004, ECRYPTFS_PASSWORD
	head -c 630 /dev/zero
	printf '\012\000\000\000'	# hash_algo: SHA-512
	head -c 4 /dev/zero
	printf '\100\000\000\000\002\000\000\000' # 64 key bytes, key set
	echo "$k64" | xxd -r -p
	printf '%s' "$tsig"
	head -c 12 /dev/zero
} > /tmp/tok
check "the auth token is 740 bytes" test "$(wc -c < /tmp/tok)" -eq 740
keyctl padd user "$tsig" @s < /tmp/tok >/dev/null
rm -f /tmp/tok
enc_proof "import-key of an eCryptfs auth token's FEKEK" "$tsig" "import-key ecryptfs trusted:kmk user:$tsig" ecryptfs 64 /dev/vda /tmp/v64.sum

# parity with the stock "new ... <hex>" (ours is imported at boot with
# encrypted_keys.user_decrypted_data=1): 6.1 and later take the bytes,
# 5.10 silently makes a random key instead
if keyctl add encrypted stock64 "new default trusted:kmk 64 $k64" @s >/dev/null 2>/tmp/err &&
	dm_open s64 ":64:encrypted:stock64" aes-xts-plain64 /dev/vda; then
	got=$(sum1m /dev/mapper/s64)
	dm_close s64
	case $(uname -r) in
	5.*) check "parity: 5.10's stock new ignores the hex (random key), ours does not" \
		test "$got" != "$(cat /tmp/v64.sum)" ;;
	*) check "parity: the stock new with the same bytes opens the same volume" \
		test "$got" = "$(cat /tmp/v64.sum)" ;;
	esac
else
	nok "parity: stock new with user data: $(cat /tmp/err)"
fi

# A one-byte-wrong key is a different key: its blob loads, the data is not
# the volume's.
bad=$(echo "$k64" | sed 's/^../00/')
[ "$bad" = "$k64" ] && bad=$(echo "$k64" | sed 's/^../01/')
if enc_add wrong "import trusted:kmk $bad" &&
	keyctl add encrypted wrong "load $eblob" @s >/dev/null &&
	dm_open w64 ":64:encrypted:wrong" aes-xts-plain64 /dev/vda; then
	check "a one-byte-wrong key does not give the volume's data" \
		test "$(sum1m /dev/mapper/w64)" != "$(cat /tmp/v64.sum)"
	dm_close w64
else
	nok "a one-byte-wrong key imports and loads"
fi

# Bad input: each errno and one log line, and no key made.
before=$(enc_import_keys)
keyctl add trusted kmkr "load $(keyctl pipe "$(keyctl search @s trusted kmk)") $KH" @s >/dev/null
keyctl revoke "$(keyctl search @s trusted kmkr)"
# bad CASE PAYLOAD ERRNO LOGLINE [KEYNAME]: the key is bad_CASE unless named
bad() {
	sleep 1
	m=$(klog_mark)
	expect_err "bad input, $1: $3" "$3" \
		sh -c "printf '%s' '$2' | keyctl padd encrypted-import '${5:-bad_$1}' @s"
	check "bad input, $1: one line in the kernel log naming it" \
		test "$(klog_since "$m" | grep -c "refused for uid 0: $4")" -eq 1
}
bad len-ecryptfs "import ecryptfs trusted:kmk $k32" "$EINVAL" "format ecryptfs takes 64 bytes"
bad len-enc32 "import enc32 trusted:kmk $k64" "$EINVAL" "format ecryptfs takes 64 bytes of data, enc32 32"
bad len-short "import trusted:kmk $(randhex 19)" "$EINVAL" "decrypted data shorter than 20 bytes"
bad len-long "import trusted:kmk $(randhex 4097)" "$EINVAL" "decrypted data longer than 4096 bytes"
bad no-master "import $k64" "$EINVAL" "want the master key as"
bad logon-master "import logon:legacy:dm $k64" "$EINVAL" "want the master key as"
bad trusted-opt "import trusted:kmk $k64 $KH" "$EINVAL" "unknown option 'keyhandle'"
bad missing-master "import trusted:nosuch $k64" "$ENOKEY" "import: master key not usable"
bad wrong-type-master "import user:kmk $k64" "$ENOKEY" "import: master key not usable"
bad revoked-master "import trusted:kmkr $k64" "$EKEYREVOKED" "import: master key not usable"
bad ecryptfs-desc "import ecryptfs trusted:kmk $k64" "$EINVAL" "format ecryptfs needs a description of 16 hex digits"
bad update "update trusted:kmk" "$EINVAL" "unknown command (want import or import-key"
head -c 10 /dev/urandom | keyctl padd user short @s >/dev/null
bad short-source "import-key trusted:kmk user:short" "$EINVAL" "import-key: decrypted data shorter than 20 bytes"
bad token-name "import-key ecryptfs trusted:kmk user:$tsig" "$EINVAL" "import-key: source auth token's signature is not the new key's description" fedcba9876543210
expect_err "bad input: import over an existing key: EEXIST" "$EEXIST" \
	sh -c "printf 'import trusted:kmk $k64' | keyctl padd encrypted-import e64 @s"
check "bad input: the existing key still gives its blob" \
	test "$(keyctl pipe "$(keyctl search @s encrypted-import e64)" | cut -d' ' -f1-3)" = "default trusted:kmk 64"
expect_err "bad input: keyctl update: EINVAL" "$EINVAL" \
	keyctl update "$(keyctl search @s encrypted-import e64)" "update trusted:kmk"
expect_err "bad input: uid 1000 without CAP_SYS_ADMIN: EPERM" "$EPERM" \
	/usr/bin/setpriv --reuid=1000 --regid=1000 --clear-groups --inh-caps=-all \
	sh -c "printf 'import user:x $k64' | keyctl padd encrypted-import unpriv @u"
check "bad input: no key made by any of them" test "$(enc_import_keys)" -eq "$before"
expect_err "bad input: request_key cannot make one: EOPNOTSUPP" "$EOPNOTSUPP" \
	keyctl request2 encrypted-import neg foo @s
check "the kernel log never shows a key's hex" \
	sh -c "! dmesg | grep -qiE '$k64|$k32'"
# one key outlives this test's session keyring, for the epilogue's rmmod
keyctl link "$(keyctl search @s encrypted-import e64)" @u
note "$(enc_import_keys) encrypted-import keys live, one linked into @u for the epilogue's rmmod"
