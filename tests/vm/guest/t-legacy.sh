# SPDX-License-Identifier: GPL-2.0
# A kernel before 5.13 with a TPM 2.0 (tpm.sh --auth-parent): the module
# seals with its own TPM2_Create (src/tpm2_legacy.c). Each option variant is
# imported (the module's verification on), piped, loaded by the stock type,
# and proven to hold the imported bytes: an encrypted key made under a user
# key with those bytes, re-authenticated to the loaded trusted key
# (rehmac.sh), loads only if the two masters are equal. The
# blob's public area must match a stock "new" with the same options. Then
# the refusals, each compared with the stock "new", and keyctl update. The
# blobs go to /dev/vda for the host, which unseals them with tpm2-tools
# (tests/vm/boot-hooks.sh: hook_legacy_after).
# Sourced by /init inside its own session keyring, with lib.sh loaded.
load_modules
modprobe encrypted-keys || nok "modprobe encrypted-keys"
PAUTH=7469706172656e74617574682d30303030303031	# tpm.sh --auth-parent
KH2=keyhandle=0x81000002
check "TPM 2.0 present" test "$(cat /sys/class/tpm/tpm0/tpm_version_major)" = 2
check "stock trusted type is there" test -d /sys/module/trusted
note "kernel $(uname -r): the module seals TPM 2.0 itself"
m0=$(klog_mark)

# The records for the host: name parent parent-auth blob-auth key
# migratable-byte blob ("-": none), one a line, between TILEGACY1 and END.
: > /tmp/records

# TPM2B_PRIVATE || TPM2B_PUBLIC || creation data: the public area's
# type, nameAlg, objectAttributes and authPolicy, in hex (its unique and
# the private part differ between any two seals)
pub_head() {
	pl=$((0x$(echo "$1" | cut -c1-4)))
	pub=$(echo "$1" | cut -c$((5 + 2 * pl))-)
	n=$((0x$(echo "$pub" | cut -c21-24)))
	echo "$pub" | cut -c5-$((24 + 2 * n))
}

# variant NAME LEN IMPORT-OPTS LOAD-OPTS PARENT PARENT-AUTH BLOB-AUTH-HEX
variant() {
	import_load "$1" "$2" "$3" "$4" || return 0
	mig=01
	case $3 in *migratable=0*) mig=00 ;; esac
	echo "$1 $5 $6 $7 $hex $mig $blob" >> /tmp/records
}

# parity NAME LEN STOCK-OPTS: a stock "new" with the same options makes a
# blob of the same length and the same public area (but for unique)
parity() {
	if sid=$(keyctl add trusted "s_$1" "new $2 $3" @s 2>/tmp/err); then
		sblob=$(keyctl pipe "$sid")
		check "$1: same blob length as a stock 'new $2 $3'" \
			test "${#sblob}" = "${#blob}"
		check "$1: same type, nameAlg, attributes, policy as the stock one ($(pub_head "$blob"))" \
			test "$(pub_head "$sblob")" = "$(pub_head "$blob")"
	else
		nok "$1: stock 'new $2 $3': $(cat /tmp/err)"
	fi
}

BAUTH=ti-blob-secret-01			# 17 characters: a plain password
BAUTHX=$(randhex 20)			# 40 hex digits: a 20-byte value
variant k32 32 "$KH" "$KH" 0x81000001 - -
parity k32 32 "$KH"
variant k64 64 "$KH" "$KH" 0x81000001 - -
parity k64 64 "$KH"
variant sha1 32 "$KH hash=sha1" "$KH" 0x81000001 - -
parity sha1 32 "$KH hash=sha1"
variant sha256 64 "$KH hash=sha256" "$KH" 0x81000001 - -
# sha384 with 32 bytes makes a blob of exactly MAX_BLOB_SIZE (512)
variant sha384 32 "$KH hash=sha384" "$KH" 0x81000001 - -
parity sha384 32 "$KH hash=sha384"
check "sha384: the blob is 512 bytes" test "${#blob}" = 1024
variant bauth 64 "$KH blobauth=$BAUTH" "$KH blobauth=$BAUTH" 0x81000001 - \
	"$(printf %s "$BAUTH" | tohex)"
parity bauth 64 "$KH blobauth=$BAUTH"
variant bauthx 32 "$KH blobauth=$BAUTHX" "$KH blobauth=$BAUTHX" 0x81000001 - "$BAUTHX"
variant nomig 32 "$KH migratable=0" "$KH" 0x81000001 - -
parity nomig 32 "$KH migratable=0"
variant kauth 64 "$KH2 keyauth=$PAUTH" "$KH2 keyauth=$PAUTH" 0x81000002 "$PAUTH" -
variant pcrinfo 32 "$KH pcrinfo=0011" "$KH" 0x81000001 - -

# a wrong blobauth, or none, must not unseal
bblob=$(keyctl pipe "$(keyctl search @s trusted-import i_bauth)")
expect_err "bauth: the stock load with a wrong blobauth fails" "$EPERM" \
	keyctl add trusted wrongauth "load $bblob $KH blobauth=ti-blob-secret-02" @s
expect_err "bauth: the stock load without blobauth fails" "$EPERM" \
	keyctl add trusted noauth "load $bblob $KH" @s
# the check above discriminates: other bytes do not pass it
h1=$(randhex 32)
echo "$h1" | xxd -r -p > /tmp/mk
keyctl padd user mk_other @s < /tmp/mk >/dev/null
eid=$(keyctl add encrypted eu_other "new user:mk_other 32" @s)
keyctl pipe "$eid" > /tmp/eu.blob
rehmac /tmp/eu.blob trusted:k32 /tmp/mk > /tmp/et.blob
rm -f /tmp/mk
expect_err "control: a trusted key with other bytes fails that check" "$EINVAL" \
	sh -c "keyctl add encrypted et_other \"load \$(cat /tmp/et.blob)\" @s"

# migratable=0 is sealed as the last byte; 5.10 sets no attribute for it
nblob=$(keyctl pipe "$(keyctl search @s trusted-import i_nomig)")
kblob=$(keyctl pipe "$(keyctl search @s trusted-import i_k32)")
check "nomig: the same attributes as migratable=1 (5.10 seals only the byte)" \
	test "$(pub_head "$nblob")" = "$(pub_head "$kblob")"
expect_err "nomig: keyctl update refuses (EPERM)" "$EPERM" \
	keyctl update "$(keyctl search @s trusted-import i_nomig)" "update $KH"

# policydigest=: PolicyAuthValue's digest; no userWithAuth, so only a
# policy session unseals it (the host does, with tpm2-tools)
PD=8fcd2169ab92694e0c633f1ab772842b8241bbc20288981fc7ac1eddc1fddb0e
hex=$(randhex 32)
if id=$(printf 'import %s %s hash=sha256 policydigest=%s ti.verify=0' "$hex" "$KH" "$PD" |
	keyctl padd trusted-import i_policy @s 2>/tmp/err); then
	ok "policy: import with policydigest= (ti.verify=0)"
	blob=$(keyctl pipe "$id")
	head=$(pub_head "$blob")
	check "policy: no userWithAuth, the digest as the authPolicy ($head)" \
		test "$head" = "0008000b000000000020$PD"
	parity policy 32 "$KH hash=sha256 policydigest=$PD"
	expect_err "policy: a password load fails" "$EPERM" \
		keyctl add trusted nopolicy "load $blob $KH" @s
	echo "policy 0x81000001 - policy $hex 01 $blob" >> /tmp/records
else
	nok "policy: import with policydigest=: $(cat /tmp/err)"
fi

# pcrlock=16 extends PCR 16 (sha256 bank, read with TPM2_PCR_Read)
pcr16() {
	printf '\200\001\000\000\000\024\000\000\001\176\000\000\000\001\000\013\003\000\000\001' > /tmp/pcrread
	exec 3<>/dev/tpm0
	dd if=/tmp/pcrread bs=64 count=1 >&3 2>/dev/null
	dd bs=4096 count=1 <&3 2>/dev/null | tohex | tail -c 64
	exec 3>&-
}
before=$(pcr16)
variant plock 32 "$KH pcrlock=16" "$KH" 0x81000001 - -
after=$(pcr16)
check "plock: PCR 16 was extended ($before -> $after)" \
	sh -c "[ ${#before} = 64 ] && [ '$before' != '$after' ]"

# keyctl update reseals through the same TPM2_Create
update_reseals k64 "$KH hash=sha1" "$KH"
check "update: hash=sha1 is in the new blob" \
	test "$(pub_head "$new" | cut -c5-8)" = 0004
k64=$(awk '$1 == "k64" { print $5 }' /tmp/records)
same_bytes "update" "$k64" upd
echo "update 0x81000001 - - $k64 01 $new" >> /tmp/records

# an encrypted key's master must be of the stock type: ours is not found
# (5.10 looks for the master only when it encrypts, for keyctl pipe)
id=$(keyctl add encrypted ebad "new trusted:i_k32 32" @s)
expect_err "an encrypted key cannot take a trusted-import key as master" \
	"$ENOKEY" keyctl pipe "$id"

# a blob over MAX_BLOB_SIZE: E2BIG, as from a stock "new"
for t in "33 hash=sha384" "32 hash=sha512"; do
	expect_err "${t#* }, ${t%% *} bytes: E2BIG" "$E2BIG" sh -c \
		"printf 'import %s %s ${t#* }' $(randhex "${t%% *}") $KH | keyctl padd trusted-import bad @s"
	expect_err "${t#* }, ${t%% *} bytes: a stock 'new' fails the same way" "$E2BIG" \
		keyctl add trusted sbad "new $t $KH" @s
done

# --- refusals, each against the stock "new" with the same options
K=$(randhex 32)
# refuse DESC STRERROR LOG OPTS: the import fails with STRERROR and logs
# LOG; a stock "new 32 OPTS" fails with the same STRERROR
refuse() {
	sleep 1		# stay under the log rate limits
	m=$(klog_mark)
	expect_err "$1: import fails" "$2" \
		sh -c "printf 'import %s %s' $K '$4' | keyctl padd trusted-import bad @s"
	if [ -n "$3" ]; then
		check "$1: the kernel log says '$3'" sh -c "dmesg | tail -n +$((m + 1)) | grep -qF -- '$3'"
	fi
	expect_err "$1: a stock 'new' fails the same way" "$2" \
		keyctl add trusted sbad "new 32 $4" @s
}
refuse "no keyhandle=" "$EINVAL" "keyhandle= is required" ""
refuse "hash=md5" "$EINVAL" "bad hash= value" "$KH hash=md5"
refuse "hash=sha224" "$EINVAL" "bad hash= value" "$KH hash=sha224"
refuse "hash= after policydigest=" "$EINVAL" "must come before" "$KH policydigest=$PD hash=sha256"
refuse "policydigest= of the wrong size" "$EINVAL" "bad policydigest= value" "$KH policydigest=${PD%????????????????????????}"
refuse "keyhandle= twice" "$EINVAL" "keyhandle= given twice" "$KH $KH"
refuse "keyhandle= not hex" "$EINVAL" "bad keyhandle= value" "keyhandle=zz"
refuse "keyauth= too short" "$EINVAL" "bad keyauth= value" "$KH keyauth=0011"
refuse "blobauth= of 21 characters" "$EINVAL" "bad blobauth= value" "$KH blobauth=ti-blob-secret-012345"
refuse "migratable=2" "$EINVAL" "bad migratable= value" "$KH migratable=2"
refuse "pcrinfo= not hex" "$EINVAL" "bad pcrinfo= value" "$KH pcrinfo=zz"
refuse "wrap_flags= (newer kernels only)" "$EINVAL" "do not know" "$KH wrap_flags=1"
refuse "no key at the handle" "$EPERM" "TPM2_Create failed" "keyhandle=0x81000009"
refuse "a wrong keyauth=" "$EPERM" "TPM2_Create failed" "$KH2 keyauth=$(randhex 20)"
check "no refused import left a key" sh -c '! keyctl search @s trusted-import bad >/dev/null 2>&1'

# the log: verification ran for every verified import; no key, no auth
dmesg | tail -n "+$((m0 + 1))" > /tmp/log
check "the kernel log shows the module's verification passing" \
	grep -q 'verify=ok' /tmp/log
check "the kernel log shows no verification mismatch" \
	sh -c "! grep -q 'verify=mismatch' /tmp/log"
leak=0
for s in $(cut -d' ' -f4,5 /tmp/records | tr ' ' '\n' | grep -v -e '^-$' -e '^policy$') \
	"$BAUTH" "$BAUTHX" "$PAUTH" "$K"; do
	grep -qiF -- "$s" /tmp/log && leak=1
done
check "the kernel log holds no key byte or auth value" test "$leak" = 0

n=$(wc -l < /tmp/records)
{ echo TILEGACY1; cat /tmp/records; echo END; } > /dev/vda
sync
check "$n blobs written for the host" test "$(head -n 1 /dev/vda)" = TILEGACY1
rm -f /tmp/records /tmp/log /tmp/eu.blob /tmp/et.blob
