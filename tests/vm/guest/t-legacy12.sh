# SPDX-License-Identifier: GPL-2.0
# A kernel before 5.13 with a TPM 1.2 (tpm.sh --tpm12): the module's own
# TPM 2.0 sealing must stay out of the way, and imports go through the
# stock update path (TPM 1.2 key_seal()). Each blob is loaded by the stock
# type and proven to hold the imported bytes through an encrypted key
# re-authenticated to it (rehmac.sh).
# Sourced by /init inside its own session keyring, with lib.sh loaded.
load_modules
modprobe encrypted-keys || nok "modprobe encrypted-keys"
SRK=$TI_SRK_KEYAUTH
check "TPM 1.2 present" test "$(cat /sys/class/tpm/tpm0/tpm_version_major)" = 1
m0=$(klog_mark)

# variant NAME LEN IMPORT-OPTS LOAD-OPTS
variant() {
	import_load "$@" || return 0
	check "$1: a TPM 1.2 TPM_STORED_DATA blob (version 1.1.0.0)" \
		test "$(echo "$blob" | cut -c1-8)" = 01010000
}

BAUTH=$(randhex 20)
variant k32 32 "$SRK" "$SRK"
variant k64 64 "$SRK" "$SRK"
variant kh 32 "keyhandle=0x40000000 $SRK" "$SRK"
variant bauth 64 "$SRK blobauth=$BAUTH" "$SRK blobauth=$BAUTH"
bblob=$(keyctl pipe "$(keyctl search @s trusted-import i_bauth)")
expect_err "bauth: the stock load with a wrong blobauth fails" "$EPERM" \
	keyctl add trusted wrongauth "load $bblob $SRK blobauth=$(randhex 20)" @s

# the stock TPM 1.2 parser ran, not ours: only it refuses hash=sha256
m=$(klog_mark)
expect_err "hash=sha256 is refused" "$EINVAL" sh -c \
	"printf 'import %s %s hash=sha256' $(randhex 32) $SRK | keyctl padd trusted-import bad @s"
check "it is the stock parser that refused it" \
	sh -c "dmesg | tail -n +$((m + 1)) | grep -q 'TPM 1.x only supports SHA-1'"
check "the module's TPM 2.0 sealing never ran" \
	sh -c "! dmesg | tail -n +$((m0 + 1)) | grep -q 'TPM 2.0 seal'"

# keyctl update goes through the stock update too
update_reseals k64 "$SRK" "$SRK"

# 5.10's trusted_update() parses migratable=0 into the new payload, then
# copies the old payload's flag over it: through that path the option
# would silently give a migratable blob. The module refuses it instead.
m=$(klog_mark)
expect_err "nomig: import with migratable=0: EOPNOTSUPP" "$EOPNOTSUPP" \
	sh -c "printf 'import %s %s migratable=0' '$(randhex 32)' '$SRK' | keyctl padd trusted-import i_nomig @s"
check "nomig: the kernel log says why" \
	sh -c "dmesg | tail -n +$((m + 1)) | grep -q 'migratable=0 needs 5.13 or later'"
check "nomig: no key left behind" sh -c '! keyctl search @s trusted-import i_nomig 2>/dev/null'
expect_err "nomig: an update with migratable=0: EOPNOTSUPP" "$EOPNOTSUPP" \
	keyctl update "$id" "update $SRK migratable=0"
check "nomig: and the key keeps its blob" test "$(keyctl pipe "$id")" = "$new"
# what the stock "new" does with it (it honours it): the loaded key refuses
# to reseal
sid=$(keyctl add trusted snomig "new 32 $SRK migratable=0" @s)
expect_err "nomig: a stock 'new' with migratable=0 refuses an update: EPERM" "$EPERM" \
	keyctl update "$sid" "update $SRK"
# refused by the TPM (a key handle with no key, then a wrong SRK secret):
# the same errno as the stock "new", and no key
for o in "keyhandle=0x40000099 $SRK" "keyauth=$(printf '%040d' 1)"; do
	stock=$(keyctl add trusted tpmerr "new 32 $o" @s 2>&1)
	mine=$(printf 'import %s %s' "$(randhex 32)" "$o" | keyctl padd trusted-import tpmerr @s 2>&1)
	check "TPM error '$o': EPERM from import (got '${mine#*: }') and from stock new (got '${stock#*: }')" \
		test "${mine#*: }" = "$EPERM" -a "${stock#*: }" = "$EPERM"
	check "TPM error '$o': no key left behind" \
		sh -c '! keyctl search @s trusted-import tpmerr 2>/dev/null'
done
rm -f /tmp/eu.blob /tmp/et.blob
