# SPDX-License-Identifier: GPL-2.0
# Boot with a TPM 2.0 provisioned by tpm.sh --auth-parent: the stock options
# that shape a TPM 2.0 blob (hash=, blobauth=, keyauth= with a parent that
# has an auth value, migratable=0, policydigest= with policyhandle=,
# pcrlock=), each through import, keyctl pipe and a stock load whose key
# must read back what the plaintext key wrote; the blob's public area,
# parsed by openssl rather than by the kernel, must carry what the option
# asks for, exactly as a stock "new" with the same options does.
# Sourced by /init inside its own session keyring, with lib.sh loaded.
load_modules
PAUTH=7469706172656e74617574682d30303030303031	# tpm.sh --auth-parent
KH2=keyhandle=0x81000002
check "TPM 2.0 present" test "$(cat /sys/class/tpm/tpm0/tpm_version_major)" = 2

# Two keys for every option set, a 64-byte one and, for the hashes whose
# blobs outgrow 64-byte keys, a 32-byte one: /dev/vda and /dev/vdb are
# written once through mappings keyed with their plaintext hex; every blob
# below must load into a trusted key that reads the same bytes back.
KEY=$(randhex 64)
KEY32=$(randhex 32)
for v in vda:$KEY vdb:$KEY32; do
	head -c 1048576 /dev/urandom > /tmp/pattern
	eval "sum_${v%%:*}=$(sum1m /tmp/pattern)"
	dm_open plain "${v#*:}" aes-xts-plain64 "/dev/${v%%:*}" &&
		dd if=/tmp/pattern of=/dev/mapper/plain bs=64k conv=fsync 2>/dev/null
	dm_close plain
done
rm -f /tmp/pattern
dm_open other "$(randhex 64)"
check "control: another key reads other bytes" test "$(sum1m /dev/mapper/other)" != "$sum_vda"
dm_close other

# same_key DESC NAME [32]: the trusted key NAME reads the volume as KEY (or
# KEY32) wrote it
same_key() {
	if [ "${3:-64}" = 32 ]; then dev=vdb wantsum=$sum_vdb; else dev=vda wantsum=$sum_vda; fi
	if dm_open tk ":${3:-64}:trusted:$2" aes-xts-plain64 "/dev/$dev"; then
		check "$1: the loaded key reads back what the plaintext key wrote" \
			test "$(sum1m /dev/mapper/tk)" = "$wantsum"
		dm_close tk
	else
		nok "$1: dm-crypt takes :${3:-64}:trusted:$2"
	fi
}

# imp DESC NAME OPTS [32]: import KEY (or KEY32) with OPTS (verification
# on unless OPTS says ti.verify=0); the blob goes to $blob
imp() {
	blob=""
	ikey=$KEY
	[ "${4:-64}" = 32 ] && ikey=$KEY32
	if id=$(printf 'import %s %s' "$ikey" "$3" | keyctl padd trusted-import "$2" @s 2>/tmp/err); then
		blob=$(keyctl pipe "$id")
		ok "$1: import"
	else
		nok "$1: import: $(cat /tmp/err)"
	fi
}

# load_same DESC NAME BLOB [OPTS [32]]: the stock type loads BLOB (the
# key's id goes to $lid), the loaded key gives back the same blob and reads
# the volume right
load_same() {
	if lid=$(keyctl add trusted "$2" "load $3${4:+ $4}" @s 2>/tmp/err); then
		ok "$1: the stock type loads the blob"
		check "$1: keyctl pipe of the loaded key gives the same blob" \
			test "$(keyctl pipe "$lid")" = "$3"
		same_key "$1" "$2" "${5:-64}"
	else
		nok "$1: the stock type loads the blob: $(cat /tmp/err)"
		lid=""
	fi
}

# --- the blob, read with openssl: a TPMKey DER (OID, [0] emptyAuth when
# there is no blobauth, parent INTEGER, TPM2B_PUBLIC, TPM2B_PRIVATE)
asn1() { echo "$1" | xxd -r -p > /tmp/blob.der && openssl asn1parse -inform DER -in /tmp/blob.der; }
pub_of() { asn1 "$1" | sed -n 's/.*OCTET STRING *\[HEX DUMP\]://p' | head -n 1 | tr 'A-F' 'a-f'; }
parent_of() { asn1 "$1" | sed -n 's/.*INTEGER *://p' | head -n 1; }
has_empty_auth() { asn1 "$1" | grep -q 'cont \[ 0 \]'; }
# TPM2B_PUBLIC: size(2) type(2) nameAlg(2) objectAttributes(4)
# authPolicy(2 + n) parameters ... unique; offsets in hex digits
# (each prints nothing for what is not a keyedhash TPM2B_PUBLIC)
is_pub() { case $1 in ????0008*) true ;; *) false ;; esac; }
name_alg() { is_pub "$1" && echo "$1" | cut -c9-12; }
attrs() { is_pub "$1" && echo "$1" | cut -c13-20; }
policy_of() {
	is_pub "$1" || return 0
	n=$((0x$(echo "$1" | cut -c21-24)))
	[ "$n" -eq 0 ] || echo "$1" | cut -c25-$((24 + 2 * n))
}
# everything but the unique field, which is the TPM's own per object
template_of() {
	is_pub "$1" || return 0
	n=$((0x$(echo "$1" | cut -c21-24)))
	echo "$1" | cut -c5-$((28 + 2 * n))
}
# stock_pub OPTS [LEN]: the TPM2B_PUBLIC of a stock "new LEN OPTS" blob
stock_pub() {
	if sid=$(keyctl add trusted stockref "new ${2:-64} $1" @s 2>/tmp/err); then
		pub_of "$(keyctl pipe "$sid")"
		keyctl unlink "$sid" @s >/dev/null
	fi
}
# same_template DESC BLOB OPTS [LEN]: the blob's public area is what a
# stock "new" with OPTS makes
same_template() {
	a=$(template_of "$(pub_of "$2")")
	b=$(template_of "$(stock_pub "$3" "${4:-64}")")
	if [ -n "$a" ] && [ "$a" = "$b" ]; then
		ok "$1: public area as a stock 'new' with the same options makes it"
	else
		nok "$1: public area as a stock 'new' with the same options makes it: import '$a', stock '$b'"
	fi
}
FIXED=12	# fixedTPM (0x2) | fixedParent (0x10)
USERAUTH=40	# userWithAuth
not() { ! "$@"; }
has_attr() { a=$(attrs "$1") && [ $((0x$a & 0x$2)) -eq $((0x$2)) ]; }
lacks_attr() { a=$(attrs "$1") && [ $((0x$a & 0x$2)) -eq 0 ]; }

# --- defaults, the reference for the rest
imp "default" def "$KH"
pub=$(pub_of "$blob")
note "default blob: parent $(parent_of "$blob"), TPM2B_PUBLIC $pub"
check "default: openssl reads a TPMKey with parent 0x81000001" test "$(parent_of "$blob")" = 81000001
check "default: emptyAuth present" has_empty_auth "$blob"
check "default: nameAlg sha256 (000b)" test "$(name_alg "$pub")" = 000b
check "default: userWithAuth set" has_attr "$pub" $USERAUTH
check "default: fixedTPM and fixedParent not set (migratable)" lacks_attr "$pub" $FIXED
same_template "default" "$blob" "$KH"
load_same "default" def-l "$blob"
def_lid=$lid

# --- hash=: the sealed object's nameAlg. Bigger digests make bigger
# blobs; with 32-byte keys, sha1, sha256 and sha384 fit (see the lengths
# below)
for h in sha1:0004 sha256:000b sha384:000c; do
	alg=${h%:*}
	imp "hash=$alg, 32 bytes" "h-$alg" "$KH hash=$alg" 32
	check "hash=$alg: nameAlg ${h#*:}" test "$(name_alg "$(pub_of "$blob")")" = "${h#*:}"
	same_template "hash=$alg" "$blob" "$KH hash=$alg" 32
	load_same "hash=$alg" "h-$alg-l" "$blob" "" 32
done

# --- blobauth=: the 40-hex-digit form and the TPM 2.0 password form. The
# blob then has no emptyAuth, and only the right blobauth= unseals it.
for ba in 7469626c6f6261757468303030303030303030ab ti-blob-password; do
	imp "blobauth=$ba" "ba-$ba" "$KH blobauth=$ba"
	check "blobauth=$ba: no emptyAuth in the blob" not has_empty_auth "$blob"
	same_template "blobauth=$ba" "$blob" "$KH blobauth=$ba"
	load_same "blobauth=$ba" "ba-$ba-l" "$blob" "blobauth=$ba"
	expect_err "blobauth=$ba: load without blobauth fails" "$EPERM" \
		keyctl add trusted "ba-$ba-n" "load $blob" @s
	expect_err "blobauth=$ba: load with a wrong blobauth fails" "$EPERM" \
		keyctl add trusted "ba-$ba-w" "load $blob blobauth=wrong-password" @s
done

# --- keyauth=: a parent whose auth value is not empty (0x81000002)
imp "keyauth=" ka "$KH2 keyauth=$PAUTH"
check "keyauth=: the blob names parent 0x81000002" test "$(parent_of "$blob")" = 81000002
same_template "keyauth=" "$blob" "$KH2 keyauth=$PAUTH"
# an ASN.1 blob names its parent; the load needs the parent's auth only
load_same "keyauth=" ka-l "$blob" "keyauth=$PAUTH"
expect_err "keyauth=: load without the parent's auth fails" "$EPERM" \
	keyctl add trusted ka-n "load $blob" @s
for opts in "$KH2" "$KH2 keyauth=$(echo "$PAUTH" | tr 0-9 9-0)"; do
	case $opts in *keyauth=*) what="a wrong keyauth" ;; *) what="no keyauth" ;; esac
	expect_err "keyauth=: import under 0x81000002 with $what fails" "$EPERM" \
		sh -c "printf 'import %s %s' '$KEY' '$opts' | keyctl padd trusted-import ka-bad @s"
	expect_err "keyauth=: stock new under 0x81000002 with $what fails the same way" "$EPERM" \
		keyctl add trusted ka-bad "new 64 $opts" @s
	check "keyauth=: $what leaves no key" sh -c '! keyctl search @s trusted-import ka-bad 2>/dev/null'
done

# --- migratable=0: fixedTPM | fixedParent, and a loaded key refuses update
imp "migratable=0" nomig "$KH migratable=0"
pub=$(pub_of "$blob")
check "migratable=0: fixedTPM and fixedParent set" has_attr "$pub" $FIXED
check "migratable=0: userWithAuth still set" has_attr "$pub" $USERAUTH
same_template "migratable=0" "$blob" "$KH migratable=0"
load_same "migratable=0" nomig-l "$blob"
expect_err "migratable=0: keyctl update of the loaded key: EPERM" "$EPERM" \
	keyctl update "$lid" "update $KH"
check "default (migratable): keyctl update of a loaded key works" \
	keyctl update "$def_lid" "update $KH"

# --- policydigest= and policyhandle=: a PCR policy (PCR 15, SHA-256 bank)
# made by ti_policy through /dev/tpm0. PCRs 0 to 15 only: libtpms, as the
# PC Client profile asks, does not count extends of PCR 16 and 21 to 23 in
# pcrUpdateCounter, so a policy session made before such an extend would
# still pass. The trial session's digest must be the one TPM 2.0 Part 3
# defines for TPM2_PolicyPCR:
# H(0...0 || TPM_CC_PolicyPCR || TPML_PCR_SELECTION || H(PCR value)).
P=/ti/ti_policy
flush() { $P flush "$1" >/dev/null 2>&1 || true; }
pd=$($P digest sha256 15)
val=$($P pcrread 15 | cut -d' ' -f2)
pcrs=00000001000b03008000
hv=$(echo "$val" | xxd -r -p | sha256sum | cut -c1-64)
exp=$(echo "$(printf '%064d' 0)0000017f$pcrs$hv" | xxd -r -p | sha256sum | cut -c1-64)
check "policy: ti_policy's trial digest is TPM2_PolicyPCR's ($pd)" test "$pd" = "$exp"

# README: a policy-bound import must skip verification (ti.verify=0), since
# the kernel has no session to load it with
expect_err "policy: import with verification fails" "$EPERM" \
	sh -c "printf 'import %s %s policydigest=%s' '$KEY' '$KH' '$pd' | keyctl padd trusted-import pol-v @s"
check "policy: the refused import leaves no key" sh -c '! keyctl search @s trusted-import pol-v 2>/dev/null'
imp "policy, ti.verify=0" pol "$KH policydigest=$pd ti.verify=0"
pol_blob=$blob
pub=$(pub_of "$blob")
check "policy: the blob's authPolicy is the digest" test "$(policy_of "$pub")" = "$pd"
check "policy: userWithAuth not set (only the policy authorizes)" lacks_attr "$pub" $USERAUTH
same_template "policy" "$blob" "$KH policydigest=$pd"
expect_err "policy: load without a policy session fails" "$EPERM" \
	keyctl add trusted pol-n "load $blob" @s
h=$($P session sha256 15)
load_same "policy, policyhandle=$h" pol-l "$blob" "policyhandle=$h"
flush "$h"
# verification passes the import's options to its load: with a live
# session it can verify a policy-bound blob after all
h=$($P session sha256 15)
imp "policy, verified through policyhandle=$h" pol-vh "$KH policydigest=$pd policyhandle=$h"
flush "$h"

# the policy in the object's nameAlg: sha1 works; sha384 makes a blob too
# big for the stock type at any key length (as for stock "new")
pd1=$($P digest sha1 15)
check "policy sha1: a 20-byte digest" test "${#pd1}" -eq 40
imp "policy sha1, ti.verify=0" pol1 "$KH hash=sha1 policydigest=$pd1 ti.verify=0"
check "policy sha1: authPolicy and nameAlg sha1" \
	test "$(policy_of "$(pub_of "$blob")")/$(name_alg "$(pub_of "$blob")")" = "$pd1/0004"
h=$($P session sha1 15)
load_same "policy sha1, policyhandle=$h" pol1-l "$blob" "policyhandle=$h"
flush "$h"
pd384=$($P digest sha384 15)
check "policy sha384: a 48-byte digest" test "${#pd384}" -eq 96
expect_err "policy sha384: import of 32 bytes: E2BIG" "$E2BIG" \
	sh -c "printf 'import %s %s hash=sha384 policydigest=%s ti.verify=0' '$KEY32' '$KH' '$pd384' | keyctl padd trusted-import pol384 @s"
expect_err "policy sha384: stock new 32: E2BIG too" "$E2BIG" \
	keyctl add trusted pol384 "new 32 $KH hash=sha384 policydigest=$pd384" @s

# a PCR extend breaks the policy, for a session made before it (the TPM
# sees pcrUpdateCounter move) and for one made after it
h_before=$($P session sha256 15)
new=$($P extend 15 | cut -d' ' -f2)
check "policy: PCR 15 extended" test "$new" != "$val"
expect_err "policy: after the extend, a session made before it does not load the blob" "$EPERM" \
	keyctl add trusted pol-x1 "load $pol_blob policyhandle=$h_before" @s
flush "$h_before"
h=$($P session sha256 15)
expect_err "policy: after the extend, a fresh session does not load the blob" "$EPERM" \
	keyctl add trusted pol-x2 "load $pol_blob policyhandle=$h" @s
flush "$h"

# --- pcrlock=: the stock seal extends the PCR once afterwards; the
# import's verification must not extend it again (PCR 14: counted in
# pcrUpdateCounter)
c0=$($P pcrread 14)
imp "pcrlock=14" lock "$KH pcrlock=14"
c1=$($P pcrread 14)
check "pcrlock=14: the import extended PCR 14" test "${c1#* }" != "${c0#* }"
check "pcrlock=14: exactly once (pcrUpdateCounter ${c0%% *} -> ${c1%% *})" \
	test "${c1%% *}" -eq $((${c0%% *} + 1))
load_same "pcrlock=14" lock-l "$blob"
# the usual use: a blob bound to PCR 14 is loaded with pcrlock=14, which
# locks it for the rest of the boot
pd=$($P digest sha256 14)
imp "pcrlock on load: policy on PCR 14, ti.verify=0" lockp "$KH policydigest=$pd ti.verify=0"
h=$($P session sha256 14)
check "pcrlock on load: a load without pcrlock= leaves the blob loadable" \
	sh -c "keyctl add trusted lockp-0 'load $blob policyhandle=$h' @s >/dev/null"
flush "$h"
h=$($P session sha256 14)
load_same "pcrlock on load: load with policyhandle=$h pcrlock=14" lockp-l "$blob" "policyhandle=$h pcrlock=14"
flush "$h"
h=$($P session sha256 14)
expect_err "pcrlock on load: the next load fails" "$EPERM" \
	keyctl add trusted lockp-2 "load $blob policyhandle=$h" @s
flush "$h"

# --- key lengths: MAX_BLOB_SIZE (512) bounds the TPM's whole TPM2_Create
# reply, whose size grows with the key and the hash; with this RSA-2048
# parent, stock "new" works up to 128 bytes with sha1, 113 with sha256, 33
# with sha384 and not at all with sha512. Import must agree on both sides
# of each limit.
# parity LEN OPTS WANT: import and stock "new" both succeed (WANT ok), or
# both fail with errno message WANT
parity() {
	phex=$(randhex "$1")
	stock=$(keyctl add trusted parity "new $1 $2" @s 2>&1) || stock="failed: $stock"
	mine=$(printf 'import %s %s' "$phex" "$2" | keyctl padd trusted-import parity @s 2>&1) ||
		mine="failed: $mine"
	case $stock in failed:*) stock=${stock##*: } ;; *) stock=ok ;; esac
	case $mine in failed:*) mine=${mine##*: } ;; *) mine=ok ;; esac
	check "length $1 '$2': import '$mine', stock new '$stock', both '$3'" \
		test "$mine/$stock" = "$3/$3"
	keyctl clear @s
}
parity 128 "$KH hash=sha1" ok
parity 113 "$KH hash=sha256" ok
parity 114 "$KH hash=sha256" "$E2BIG"
parity 33 "$KH hash=sha384" ok
parity 34 "$KH hash=sha384" "$E2BIG"
parity 32 "$KH hash=sha512" "$E2BIG"
