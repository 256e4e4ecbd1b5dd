# SPDX-License-Identifier: GPL-2.0
# In-kernel verification, the audit trail and the one-way off switch.
# Sourced by t-main.sh, last: it switches imports off.

# --- verification is on by default, and its result is audited
sleep 6		# let the audit rate limit recover from the tests before
m=$(klog_mark)
hex=$(randhex 64)
id=$(printf 'import %s %s' "$hex" "$KH" | keyctl padd trusted-import audited @s)
check "verified import succeeds" test -n "$id"
line=$(klog_since "$m" | grep 'trusted_import: audit: op=trusted-import-import')
note "audit line: ${line#*audit: }"
check "audit: one record for the import" test "$(echo "$line" | grep -c .)" -eq 1
check "audit: uid, serial, description, lengths, verify, result" sh -c \
	"echo '$line' | grep -qE 'uid=0 auid=[0-9]+ key=$id key_len=64 blob_len=[1-9][0-9]* verify=ok errno=0 res=1 desc_len=7 desc=\"audited\"\$'"
check "audit: the key bytes are not in it" sh -c "! echo '$line' | grep -qi '$hex'"

# A blob sealed to a policy cannot be loaded without a policy session, so
# verification fails, the import fails, and nothing is left; ti.verify=0
# skips it and the import succeeds.
pd=policydigest=$(printf '%064d' 0)
sleep 1
m=$(klog_mark)
expect_err "policy-bound import with verification fails" "$EPERM" \
	sh -c "printf 'import %s %s hash=sha256 %s' '$hex' '$KH' '$pd' | keyctl padd trusted-import pol @s"
check "policy-bound: no key left behind" sh -c '! keyctl search @s trusted-import pol 2>/dev/null'
check "policy-bound: audit says verification did not pass" sh -c \
	"dmesg | tail -n +$((m + 1)) | grep -q 'key_len=64 blob_len=0 verify=failed errno=-1 res=0 desc_len=3 desc=\"pol\"'"
id=$(printf 'import %s %s hash=sha256 %s ti.verify=0' "$hex" "$KH" "$pd" | keyctl padd trusted-import pol @s)
check "policy-bound import with ti.verify=0 succeeds" test -n "$id"
check "ti.verify=0 never reaches the stock code (blob made)" sh -c "keyctl pipe $id | grep -qE '^[0-9a-f]+\$'"

# --- update keeps the old blob when the new one cannot be proven
id=$(printf 'import %s %s' "$(randhex 32)" "$KH" | keyctl padd trusted-import keep @s)
b=$(keyctl pipe "$id")
expect_err "update to a policy-bound blob, verified: refused" "$EPERM" \
	keyctl update "$id" "update $KH hash=sha256 $pd"
check "refused update: the key keeps its old blob" test "$(keyctl pipe "$id")" = "$b"
check "refused update: the old blob still loads" sh -c "keyctl add trusted keep2 'load $b $KH' @s >/dev/null"

# --- the one-way off switch
P=/sys/module/trusted_import/parameters/imports
check "off switch reads 'enabled'" test "$(cat $P)" = enabled
check "off switch: writing 0 works" sh -c "echo 0 > $P"
check "off switch reads 'disabled'" test "$(cat $P)" = disabled
sleep 1
m=$(klog_mark)
expect_err "import while disabled: EPERM" "$EPERM" \
	sh -c "printf 'import %s %s' '$(randhex 32)' '$KH' | keyctl padd trusted-import off @s"
check "import while disabled: the log says so" sh -c \
	"dmesg | tail -n +$((m + 1)) | grep -q 'imports are disabled'"
check "off switch: writing 1 is refused" sh -c "! echo 1 > $P 2>/dev/null"
check "off switch still reads 'disabled'" test "$(cat $P)" = disabled
check "update of an existing key still works while disabled" keyctl update "$id" "update $KH"
