# SPDX-License-Identifier: GPL-2.0
# TPM faults, boot 1: seal one key and keep its blob on /dev/vda, then ask
# the host to kill swtpm (TI-KILL-TPM) while imports run. Each import must
# end, within the TPM driver's timeouts, in an errno and no key.
load_modules
hex=$(randhex 32)
id=$(printf 'import %s %s' "$hex" "$KH" | keyctl padd trusted-import before @s)
check "an import before the fault works" test -n "$id"
printf 'TIBLOB1\n%s\n%s\n' "$hex" "$(keyctl pipe "$id")" > /dev/vda
sync

tap_raw "TI-KILL-TPM"
start=$(cut -d. -f1 /proc/uptime)
i=0 made=0 failed=0
while [ $i -lt 20 ]; do
	if printf 'import %s %s' "$(randhex 32)" "$KH" | keyctl padd trusted-import "tf$i" @s >/dev/null 2>/tmp/tf.err; then
		made=$((made + 1))
	else
		failed=$((failed + 1))
		keyctl search @s trusted-import "tf$i" >/dev/null 2>&1 && nok "tf$i failed but left a key"
	fi
	i=$((i + 1))
done
took=$(( $(cut -d. -f1 /proc/uptime) - start ))
note "after the kill: $made imports made (before swtpm died), $failed failed ($(cat /tmp/tf.err)), ${took}s"
check "imports fail once the TPM is gone" test "$failed" -gt 0
check "with an errno, not a hang (20 imports in ${took}s)" test "$took" -lt 600
