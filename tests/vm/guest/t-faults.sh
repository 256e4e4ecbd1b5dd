# SPDX-License-Identifier: GPL-2.0
# Fault injection: make the n-th slab allocation of an import fail, for
# n = 1, 2, ... until the import needs fewer than n. Each attempt must end in a
# key that works or in a clean errno with no key left; the epilogue and the
# host then demand no leak (kmemleak) and no oops, WARN or lockdep report.
load_modules
F=/sys/kernel/debug/failslab
echo N > $F/ignore-gfp-wait	# GFP_KERNEL allocations too
echo 0 > $F/verbose		# no stack dump per injected failure
# probability stays 0: only /proc/self/fail-nth makes anything fail

printf 'import %s %s\n' "$(printf '%064d' 0 | tr 0 d)" "$KH" > /tmp/payload
max=${ti_faults:-400}
n=1 made=0 failed=0 bad=0 end=0
while [ "$n" -le "$max" ]; do
	# /ti/failnth_add_key arms fail-nth right before add_key(): the n-th
	# allocation of the import itself fails
	out=$(/ti/failnth_add_key "$n" trusted-import "f$n" /tmp/payload)
	id=$(keyctl search @s trusted-import "f$n" 2>/dev/null)
	case $out in
	unconsumed)
		end=1
		[ -n "$id" ] && keyctl unlink "$id" @s >/dev/null
		break ;;
	made*)
		made=$((made + 1))
		if [ -z "$id" ] || ! keyctl pipe "$id" | grep -qE '^[0-9a-f]+$'; then
			note "n=$n: '$out' but no working key"
			bad=$((bad + 1))
		fi ;;
	failed*)
		failed=$((failed + 1))
		if [ -n "$id" ]; then
			note "n=$n: '$out' but a key was left behind"
			bad=$((bad + 1))
		fi ;;
	*)
		note "n=$n: unexpected '$out'"
		bad=$((bad + 1)) ;;
	esac
	[ -n "$id" ] && keyctl unlink "$id" @s >/dev/null
	n=$((n + 1))
done
note "fault injection: $((n - 1)) allocations failed in turn: $failed imports failed cleanly, $made survived the failure"
check "fault injection reached the end of the import path within $max faults" test "$end" -eq 1
check "at least one injected fault failed an import" test "$failed" -gt 0
check "every failure left no key, every success a working one" test "$bad" -eq 0
check "no trusted-import key left in the keyring" sh -c "! keyctl show @s | grep -q 'trusted-import:'"
