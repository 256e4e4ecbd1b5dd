# SPDX-License-Identifier: GPL-2.0
# Booted with audit=1: the audit trail goes through the kernel audit
# framework (type 1316, AUDIT_KERNEL_OTHER), which prints to the console
# while no auditd listens, instead of the module's own log line.
load_modules
K=$(randhex 32)

check "audit is enabled on this boot" sh -c 'grep -qw "audit=1" /proc/cmdline'
# kauditd prints through printk_ratelimit(): three records per request
# (ours, SYSCALL, PROCTITLE) would soon be dropped
echo 0 > /proc/sys/kernel/printk_ratelimit

mark=$(klog_mark)
id=$(printf 'import %s %s' "$K" "$KH" | keyctl padd trusted-import audok @s)
check "an import succeeds" test -n "$id"
printf 'import %s %s ti.verify=0' "$K" "$KH" | keyctl padd trusted-import audnv @s >/dev/null
printf 'import %s %s' "$(randhex 32)" "$KH" > /tmp/p2
id2=$(keyctl padd trusted-import audup @s < /tmp/p2)
printf 'update %s' "$KH" | keyctl pupdate "$id2"
expect_err "a malformed import is refused" "$EINVAL" \
	sh -c "printf 'import 12345' | keyctl padd trusted-import audbad @s"
printf 'import %s %s' "$K" "$KH" | keyctl padd trusted-import audok @s 2>/dev/null
printf 'import %s %s' "$(randhex 32)" "$KH" | keyctl padd trusted-import 'aud "sp"' @s >/dev/null
# kauditd prints asynchronously
sleep 2
klog_since "$mark" > /tmp/audit.log
recs=$(grep -c 'type=1316 .*op=trusted-import-' /tmp/audit.log)
note "$recs audit records"

check "success: one record with serial, lengths, verify=ok, res=1" \
	grep -qE "type=1316 .*op=trusted-import-import uid=0 auid=[0-9]+ key=$id key_len=32 blob_len=[1-9][0-9]* verify=ok errno=0 res=1 desc_len=5 desc=\"audok\"" /tmp/audit.log
check "verification skipped: verify=skipped" \
	grep -qE 'op=trusted-import-import .* key_len=32 .*verify=skipped errno=0 res=1 desc_len=5 desc="audnv"' /tmp/audit.log
check "update: op=update, res=1" \
	grep -qE "op=trusted-import-update uid=0 auid=[0-9]+ key=$id2 .*verify=ok errno=0 res=1 desc_len=5 desc=\"audup\"" /tmp/audit.log
check "refusal before a key existed: key=0, errno=-22, res=0" \
	grep -qE 'op=trusted-import-import uid=0 auid=[0-9]+ key=0 .*errno=-22 res=0 desc_len=6 desc="audbad"' /tmp/audit.log
check "import onto an existing key: errno=-17 (EEXIST), res=0" \
	grep -qE 'op=trusted-import-import uid=0 auid=[0-9]+ key=0 .*errno=-17 res=0 desc_len=5 desc="audok"' /tmp/audit.log
check "a description with a space and quotes goes as hex, as audit does" \
	grep -qE 'op=trusted-import-import uid=0 auid=[0-9]+ key=[1-9][0-9]* key_len=32 .* desc=6175642022737022$' /tmp/audit.log
check "exactly seven records for seven requests" test "$recs" -eq 7
check "no module log line duplicates the audit record" \
	sh -c '! grep -q "trusted_import: audit:" /tmp/audit.log'
check "no key byte in the kernel log" sh -c "! dmesg | grep -qi '$K'"
keyctl clear @s
