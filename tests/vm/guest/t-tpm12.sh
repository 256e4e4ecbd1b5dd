# SPDX-License-Identifier: GPL-2.0
# Boot with a TPM 1.2 (tpm.sh --tpm12: owned, SRK at 0x40000000 with
# swtpm's well-known secret SHA-1(20 zero bytes)): imports with the stock
# TPM 1.2 options (keyhandle=, keyauth=, blobauth=, pcrinfo=, pcrlock=,
# migratable=), each checked through a stock load whose key must read back
# what the plaintext key wrote through dm-crypt; update; errors.
# On a kernel whose tpm_buf_reset() WARNs on every TPM 1.2 seal and unseal
# (docs/backends.md), the host allows exactly those splats in the log
# (tests/vm/boot-hooks.sh: tpm12_log_check).
# Sourced by /init inside its own session keyring, with lib.sh loaded.
load_modules
K12=$TI_SRK_KEYAUTH
T=/ti/ti_tpm12
check "TPM 1.2 present" test "$(cat /sys/class/tpm/tpm0/tpm_version_major)" = 1
note "panic_on_warn=$(cat /proc/sys/kernel/panic_on_warn)"

# libtpms counts failed authorizations per boot; past 5, every further
# failure locks authorized commands for 1, 2, 4, ... s. Every failure this
# test provokes goes through da_fail, which waits that out, so that no
# later command fails because of a lockout instead of its own reason.
nfail=0
da_fail() {
	nfail=$((nfail + 1))
	[ "$nfail" -le 5 ] || sleep $(((1 << (nfail - 6)) + 1))
}

# One 64-byte key for most option sets: /dev/vda is written once through
# a mapping keyed with its plaintext hex; every blob made from it must load
# into a trusted key that reads the same bytes back.
KEY=$(randhex 64)
head -c 1048576 /dev/urandom > /tmp/pattern
wantsum=$(sum1m /tmp/pattern)
dm_open plain "$KEY" && dd if=/tmp/pattern of=/dev/mapper/plain bs=64k conv=fsync 2>/dev/null
dm_close plain
dm_open other "$(randhex 64)"
check "control: another key reads other bytes" test "$(sum1m /dev/mapper/other)" != "$wantsum"
dm_close other

# same_key DESC NAME: the trusted key NAME reads /dev/vda as KEY wrote it
same_key() {
	if dm_open tk ":64:trusted:$2"; then
		check "$1: the loaded key reads back what the plaintext key wrote" \
			test "$(sum1m /dev/mapper/tk)" = "$wantsum"
		dm_close tk
	else
		nok "$1: dm-crypt takes :64:trusted:$2"
	fi
}

# imp DESC NAME OPTS: import KEY with OPTS; the key's id goes to $id, the
# blob to $blob
imp() {
	blob=""
	if id=$(printf 'import %s %s' "$KEY" "$3" | keyctl padd trusted-import "$2" @s 2>/tmp/err); then
		blob=$(keyctl pipe "$id")
		ok "$1: import"
	else
		nok "$1: import: $(cat /tmp/err)"
		id=""
	fi
}

# load_same DESC NAME BLOB OPTS: the stock type loads BLOB (the key's id
# goes to $lid); the loaded key gives back the same blob and reads the
# volume right
load_same() {
	if lid=$(keyctl add trusted "$2" "load $3 $4" @s 2>/tmp/err); then
		ok "$1: the stock type loads the blob"
		check "$1: keyctl pipe of the loaded key gives the same blob" \
			test "$(keyctl pipe "$lid")" = "$3"
		same_key "$1" "$2"
	else
		nok "$1: the stock type loads the blob: $(cat /tmp/err)"
		lid=""
	fi
}

# stock_blob OPTS: the blob of a stock "new 64 OPTS"
stock_blob() {
	if sid=$(keyctl add trusted stockref "new 64 $1" @s 2>/tmp/err); then
		keyctl pipe "$sid"
		keyctl unlink "$sid" @s >/dev/null
	else
		echo "stock new failed: $(cat /tmp/err)"
	fi
}

# A TPM_STORED_DATA blob: ver 01010000, sealInfoSize, sealInfo (a
# TPM_PCR_INFO or nothing), encDataSize, encData (the SRK's RSA-2048
# ciphertext: 256 bytes). Its layout up to encData: what must match a
# stock blob made with the same options.
layout_of() {
	case $1 in
	01010000*) ;;
	*) echo "not TPM_STORED_DATA"; return ;;
	esac
	si=$((0x$(echo "$1" | cut -c9-16)))
	sealinfo=$(echo "$1" | cut -c9-$((16 + 2 * si)))
	encdata=$(echo "$1" | cut -c$((17 + 2 * si))-$((24 + 2 * si)))
	echo "ver=01010000 sealinfo=$sealinfo encdata=$encdata hexlen=${#1}"
}
same_layout() {
	a=$(layout_of "$2")
	b=$(layout_of "$(stock_blob "$3")")
	if [ -n "$a" ] && [ "$a" = "$b" ]; then
		ok "$1: blob laid out as a stock 'new' with the same options ($a)"
	else
		nok "$1: blob laid out as a stock 'new' with the same options: import '$a', stock '$b'"
	fi
}

# --- round trips of 32, 64 and 128-byte keys on /dev/vdb, each written
# through its plaintext hex and read through the stock-loaded key. No
# aes-xts key is 128 bytes: that size is two AES-256-XTS keys.
head -c 1048576 /dev/urandom > /tmp/rt
rtsum=$(sum1m /tmp/rt)
for n in 32 64 128; do
	cipher=aes-xts-plain64
	[ "$n" = 128 ] && cipher=aes:2-xts-plain64
	hex=$(randhex "$n")
	if ! rid=$(printf 'import %s %s' "$hex" "$K12" | keyctl padd trusted-import "rt$n" @s 2>/tmp/err); then
		nok "$n bytes: import: $(cat /tmp/err)"
		continue
	fi
	ok "$n bytes: import (verified in the kernel)"
	rblob=$(keyctl pipe "$rid")
	check "$n bytes: TPM_STORED_DATA, no sealInfo, 256 bytes of encData" \
		test "$(layout_of "$rblob")" = "ver=01010000 sealinfo=00000000 encdata=00000100 hexlen=536"
	check "$n bytes: the stock type loads the blob" \
		sh -c "keyctl add trusted rt$n-l 'load $rblob $K12' @s >/dev/null"
	dm_open "rtp$n" "$hex" "$cipher" /dev/vdb && dd if=/tmp/rt of="/dev/mapper/rtp$n" bs=64k conv=fsync 2>/dev/null
	dm_close "rtp$n"
	if dm_open "rtk$n" ":$n:trusted:rt$n-l" "$cipher" /dev/vdb; then
		check "$n bytes: the loaded key reads back what the plaintext key wrote" \
			test "$(sum1m "/dev/mapper/rtk$n")" = "$rtsum"
		dm_close "rtk$n"
	else
		nok "$n bytes: dm-crypt takes :$n:trusted:rt$n-l ($cipher)"
	fi
done
rm -f /tmp/rt

# --- the default options spelled out: SRK handle, SHA-1
imp "keyhandle=0x40000000 hash=sha1" srk "keyhandle=0x40000000 hash=sha1 $K12"
same_layout "keyhandle=0x40000000 hash=sha1" "$blob" "keyhandle=0x40000000 hash=sha1 $K12"
load_same "keyhandle=0x40000000 hash=sha1" srk-l "$blob" "$K12"

# --- keyctl update reseals (and verifies) with the stock semantics
imp "update" upd "$K12"
old=$blob
check "update: keyctl update reseals" keyctl update "$id" "update $K12"
blob=$(keyctl pipe "$id")
check "update: the blob changed" test "$blob" != "$old"
load_same "update: the new blob" upd-l "$blob" "$K12"

# --- migratable: TPM 1.2 seals it as one byte after the key. An imported
# blob must load with the migratable a stock "new" blob has, with the same
# options: updatable by default, refusing update (EPERM) with migratable=0.
for m in "" migratable=0; do
	case $m in "") what=default expect=ok ;; *) what=$m expect=EPERM ;; esac
	imp "$what" "mig$m" "$K12 $m"
	load_same "$what" "mig$m-l" "$blob" "$K12"
	same_layout "$what" "$blob" "$K12 $m"
	sid=$(keyctl add trusted "smig$m" "new 64 $K12 $m" @s)
	slid=$(keyctl add trusted "smig$m-l" "load $(keyctl pipe "$sid") $K12" @s)
	check "$what: a stock blob loads too" test -n "$slid"
	for k in "imported:$lid" "stock:$slid"; do
		if keyctl update "${k#*:}" "update $K12" >/dev/null 2>/tmp/err; then
			got=ok
		else
			got=$(sed 's/.*: //' /tmp/err)
			[ "$got" = "$EPERM" ] && got=EPERM
		fi
		check "$what: update of the loaded ${k%%:*} blob's key: $expect" test "$got" = "$expect"
	done
done

# --- blobauth=: 20 bytes in hex (TPM 1.2 takes no password form); only
# the right one unseals
BA=7469626c6f6261757468303030303030303030ab
imp "blobauth=" ba "$K12 blobauth=$BA"
same_layout "blobauth=" "$blob" "$K12 blobauth=$BA"
load_same "blobauth=" ba-l "$blob" "$K12 blobauth=$BA"
expect_err "blobauth=: load without it fails" "$EPERM" \
	keyctl add trusted ba-n "load $blob $K12" @s
da_fail
expect_err "blobauth=: load with a wrong one fails" "$EPERM" \
	keyctl add trusted ba-w "load $blob $K12 blobauth=$(echo "$BA" | tr 0-9 9-0)" @s
da_fail

# --- pcrinfo=: a TPM_PCR_INFO built here from the PCR values:
# pcrSelection (sizeOfSelect 3, a bit per PCR), digestAtRelease = SHA-1 of
# the TPM_PCR_COMPOSITE (that selection, valueSize 20, the PCR value), and
# digestAtCreation, left zero for the TPM to fill in.
# sel PCR: the TPM_PCR_SELECTION of one PCR
sel() { printf '0003%06x' $((1 << ($1 % 8) << (8 * (2 - $1 / 8)))); }
composite() { echo "$(sel "$1")00000014$2" | xxd -r -p | sha1sum | cut -c1-40; }
pcr_info() { echo "$(sel "$1")$(composite "$1" "$2")$(printf '%040d' 0)"; }
v16=$($T pcrread 16)
sysfs=$(grep '^PCR-16:' /sys/class/tpm/tpm0/pcrs | cut -d: -f2 | tr -d ' ' | tr A-F a-f)
check "pcrinfo: ti_tpm12 reads PCR 16 as the kernel's sysfs does ($v16)" test "$v16" = "$sysfs"
pi=$(pcr_info 16 "$v16")
imp "pcrinfo= (PCR 16 as it is)" pcr "$K12 pcrinfo=$pi"
pcr_blob=$blob
c=$(composite 16 "$v16")
check "pcrinfo: the blob's sealInfo is that TPM_PCR_INFO, digestAtCreation filled in by the TPM" \
	test "$(echo "$blob" | cut -c9-106)" = "0000002d$(sel 16)$c$c"
same_layout "pcrinfo=" "$blob" "$K12 pcrinfo=$pi"
load_same "pcrinfo=" pcr-l "$blob" "$K12"

# a blob for a PCR value to come: PCR 16 after one extend by D
D=$(randhex 20)
fut=$(echo "$v16$D" | xxd -r -p | sha1sum | cut -c1-40)
pf=$(pcr_info 16 "$fut")
expect_err "future pcrinfo: a verified import fails (the blob cannot load yet)" "$EPERM" \
	sh -c "printf 'import %s %s pcrinfo=%s' '$KEY' '$K12' '$pf' | keyctl padd trusted-import fut-v @s"
check "future pcrinfo: the refused import leaves no key" sh -c '! keyctl search @s trusted-import fut-v 2>/dev/null'
imp "future pcrinfo, ti.verify=0" fut "$K12 pcrinfo=$pf ti.verify=0"
fut_blob=$blob
expect_err "future pcrinfo: the load fails before the extend" "$EPERM" \
	keyctl add trusted fut-0 "load $fut_blob $K12" @s
check "pcrinfo: ti_tpm12 extends PCR 16 to the predicted value" test "$($T extend 16 "$D")" = "$fut"
load_same "future pcrinfo: after the extend" fut-l "$fut_blob" "$K12"
expect_err "pcrinfo: after the extend, the blob bound to the old value fails" "$EPERM" \
	keyctl add trusted pcr-x "load $pcr_blob $K12" @s

# --- pcrlock=: the stock seal extends the PCR afterwards (and a verified
# import still succeeds: verification does not replay it); a load with
# pcrlock= locks the blob it loaded
v23=$($T pcrread 23)
imp "pcrlock=23" lock "$K12 pcrlock=23"
check "pcrlock=23: the import extended PCR 23" test "$($T pcrread 23)" != "$v23"
load_same "pcrlock=23" lock-l "$blob" "$K12"
# pcrinfo= and pcrlock= on the same PCR: the stock seal extends PCR 23
# before verification loads the blob, so the import is refused (no key),
# but PCR 23 has moved all the same
v23=$($T pcrread 23)
expect_err "pcrinfo= and pcrlock= on PCR 23, verified: refused" "$EPERM" \
	sh -c "printf 'import %s %s pcrinfo=%s pcrlock=23' '$KEY' '$K12' '$(pcr_info 23 "$v23")' | keyctl padd trusted-import lockself @s"
check "pcrinfo= and pcrlock= on PCR 23: no key, yet PCR 23 was extended" \
	sh -c "! keyctl search @s trusted-import lockself 2>/dev/null && [ \"\$($T pcrread 23)\" != $v23 ]"
imp "bound to PCR 23" lockb "$K12 pcrinfo=$(pcr_info 23 "$($T pcrread 23)")"
check "pcrlock=23 on load: a load without pcrlock= leaves the blob loadable" \
	sh -c "keyctl add trusted lockb-0 'load $blob $K12' @s >/dev/null"
load_same "pcrlock=23 on load" lockb-l "$blob" "$K12 pcrlock=23"
expect_err "pcrlock=23 on load: the next load fails" "$EPERM" \
	keyctl add trusted lockb-2 "load $blob $K12" @s

# --- errors
# parity OPTS [LEN]: import and stock "new" both fail with the same errno
parity() {
	phex=$(randhex "${2:-32}")
	stock=$(keyctl add trusted parity "new ${2:-32} $1" @s 2>&1)
	mine=$(printf 'import %s %s' "$phex" "$1" | keyctl padd trusted-import parity @s 2>&1)
	if [ "$stock" != "${stock#*: }" ] && [ "${stock#*: }" = "${mine#*: }" ]; then
		ok "parity ${2:-32} '$1': both fail with ${stock#*: }"
	else
		nok "parity ${2:-32} '$1': stock '$stock', import '$mine'"
	fi
	check "parity ${2:-32} '$1': no key left behind" \
		sh -c '! keyctl search @s trusted-import parity 2>/dev/null'
	keyctl clear @s >/dev/null 2>&1 || true
}
# refused by the option parser before the TPM: TPM 2.0 options, a blobauth
# that is not 20 bytes in hex, key lengths out of 32..128
for o in "$K12 hash=sha256" "$K12 policydigest=$(printf '%040d' 0)" \
	"$K12 policyhandle=0x03000000" "$K12 blobauth=secret" "keyauth=0123"; do
	parity "$o"
done
parity "$K12" 31
parity "$K12" 129
# refused by the TPM: a key handle that does not exist (no authorization
# is tried), then bad SRK secrets: none (the stock default, 20 zero bytes,
# is not swtpm's) and a wrong one
parity "keyhandle=0x40000099 $K12"
parity ""
da_fail
da_fail
parity "keyauth=$(printf '%040d' 1)"
da_fail
da_fail
expect_err "a load without the SRK's keyauth fails" "$EPERM" \
	keyctl add trusted nokeyauth "load $pcr_blob" @s
da_fail
note "authorization failures provoked: $nfail"
