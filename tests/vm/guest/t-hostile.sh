# SPDX-License-Identifier: GPL-2.0
# A local attacker against the module (issue: the outside review): negative
# keys, request_key, import-key of keys the caller may not export, forged
# and flooded audit records, size limits, repeated options, a race of one
# description, updates racing rmmod. Every case asserts its errno and that
# no key of ours is left half-made; the host checks the log stays clean.
# Sourced by /init inside its own session keyring, with lib.sh loaded.

load_modules
P=/sys/module/trusted_import/parameters
# as_user CMD...: uid 1000 without capabilities, in a session keyring of
# its own (util-linux setpriv, as errors.sh uses it)
as_user() {
	/usr/bin/setpriv --reuid=1000 --regid=1000 --clear-groups --inh-caps=-all \
		--bounding-set=-all keyctl session - "$@"
}
# no_key DESC NAME: no key of ours named NAME anywhere in /proc/keys
no_key() {
	check "$1: no trusted-import key '$2' is left" \
		sh -c "! grep ' trusted-i ' /proc/keys | grep -q ' $2'"
}

# --- defect 1: a negative key of our type, then add_key "update" on it.
# Before the fix this oopsed (NULL payload in ti_seal_update()).
expect_err "request2 without a rule: refused" "$EOPNOTSUPP" \
	keyctl request2 trusted-import neg foo @s
check "request2: the key it leaves cannot be found (negative)" sh -c \
	"keyctl search @s trusted-import neg 2>&1 | grep -q '$ENOKEY'"
expect_err "add_key 'update' onto a negative key: ENOKEY (stock types: ENOKEY)" \
	"$ENOKEY" sh -c "printf 'update %s' '$KH' | keyctl padd trusted-import neg @s"
expect_err "add_key 'import' onto a negative key: ENOKEY" "$ENOKEY" \
	sh -c "printf 'import %s %s' '$(randhex 32)' '$KH' | keyctl padd trusted-import neg @s"
expect_err "uid 1000: 'update' onto its own negative key: ENOKEY" "$ENOKEY" \
	as_user sh -c "keyctl request2 trusted-import uneg foo @s 2>/dev/null; printf update | keyctl padd trusted-import uneg @s"

# --- defect 2: no construction through request_key, even with a helper
# rule that would instantiate the key as root for the requester.
[ -x /sbin/request-key ] || ln -sf "$(command -v request-key)" /sbin/request-key
echo 'create trusted-import * * |/bin/cat' > /etc/request-key.conf
m=$(klog_mark)
expect_err "uid 1000: request2 with a helper rule that would make the key: EOPNOTSUPP" \
	"$EOPNOTSUPP" as_user keyctl request2 trusted-import rk \
	"import $(randhex 32) $KH" @s
check "request_key: no positive key 'rk' exists" sh -c \
	"! grep ' trusted-i ' /proc/keys | grep ' rk' | grep -q ' I-'"
check "request_key: the refusal names it" sh -c \
	"dmesg | tail -n +$((m + 1)) | grep -q 'cannot be made through request_key'"
rm -f /etc/request-key.conf

# --- defect 4: import-key only of what the caller may export
head -c 32 /dev/urandom | keyctl padd user theirs @s >/dev/null
keyctl chown "$(keyctl search @s user theirs)" 1000
expect_err "import-key of a user key owned by another uid: EACCES" "$EACCES" \
	sh -c "printf 'import-key user:theirs %s' '$KH' | keyctl padd trusted-import ik1 @s"
no_key "import-key of another uid's key" ik1
rid=$(head -c 32 /dev/urandom | keyctl padd user noread @s)
keyctl setperm "$rid" 0x3d010000
expect_err "import-key of a user key without read permission: EACCES" "$EACCES" \
	sh -c "printf 'import-key user:noread %s' '$KH' | keyctl padd trusted-import ik2 @s"
no_key "import-key without read permission" ik2
head -c 32 /dev/urandom | keyctl padd user mine @s >/dev/null
m=$(klog_mark)
id=$(printf 'import-key user:mine %s' "$KH" | keyctl padd trusted-import ik3 @s)
check "import-key of the caller's own readable user key works" test -n "$id"
check "import-key: the audit record names the source's type, serial and owner" sh -c \
	"dmesg | tail -n +$((m + 1)) | grep -qE 'src_type=user src_key=[1-9][0-9]* src_uid=0 .*desc=\"ik3\"'"

# --- defect 5: a description cannot forge audit fields
m=$(klog_mark)
expect_err "a refused import under a forging description: EINVAL" "$EINVAL" \
	sh -c "printf 'import 12' | keyctl padd trusted-import 'x\" res=1 verify=ok' @s"
line=$(klog_since "$m" | grep 'audit: op=trusted-import-import' | tail -n 1)
note "audit line: ${line#*audit: }"
check "forged description: one verify= and one res= field in the record" sh -c \
	"test \$(echo '$(echo "$line" | tr -d "'")' | grep -o 'verify=' | wc -l) -eq 1 &&
	 test \$(echo '$(echo "$line" | tr -d "'")' | grep -o ' res=' | wc -l) -eq 1"
# a flood of refusals from uid 1000 cannot hide a real import's record
# The refusal line is rate-limited (10 per 5 s): the flood's duration,
# rounded up, bounds how many 5-s intervals it can touch.
m=$(klog_mark)
t0=$(cut -d. -f1 /proc/uptime)
as_user sh -c 'for i in $(seq 60); do printf "import 12" | keyctl padd trusted-import flood @s 2>/dev/null; done'
t=$(($(cut -d. -f1 /proc/uptime) - t0 + 1))
n=$(klog_since "$m" | grep -c 'refused for uid 1000')
max=$((10 * (t / 5 + 2)))
check "a flood of 60 refusals in ${t}s: at most 10 lines per 5 s, $max in all ($n lines)" \
	test "$n" -ge 1 -a "$n" -le "$max"
m=$(klog_mark)
id=$(printf 'import %s %s' "$(randhex 32)" "$KH" | keyctl padd trusted-import afterflood @s)
check "after a flood of refusals: the import succeeds" test -n "$id"
check "after a flood of refusals: its audit record is there" sh -c \
	"dmesg | tail -n +$((m + 1)) | grep -q 'key=$id .*res=1 .*desc=\"afterflood\"'"

# --- size limits: the payload's 32767 bytes and add_key's 1 MiB
# (after the flood's rate limit has passed, so that refusals are logged)
sleep 6
pad() { head -c "$1" /dev/zero | tr '\0' ' '; }
base="import $(randhex 32) $KH"
{ printf '%s' "$base"; pad $((32767 - ${#base})); } > /tmp/p32767
{ printf '%s' "$base"; pad $((32768 - ${#base})); } > /tmp/p32768
check "a 32767-byte payload is taken" sh -c "keyctl padd trusted-import big1 @s < /tmp/p32767 >/dev/null"
expect_err "a 32768-byte payload: EINVAL" "$EINVAL" \
	sh -c "keyctl padd trusted-import big2 @s < /tmp/p32768"
no_key "32768 bytes" big2
# add_key() itself takes at most 1 MiB - 1: that size reaches us and is
# refused by our limit, with our line; 1 MiB is refused by the keys core
{ printf '%s' "$base"; pad $((1048575 - ${#base})); } > /tmp/p1m
m=$(klog_mark)
expect_err "a 1 MiB - 1 payload (add_key's largest): EINVAL" "$EINVAL" \
	sh -c "keyctl padd trusted-import big3 @s < /tmp/p1m"
check "1 MiB - 1: refused by our limit, which the log names" sh -c \
	"dmesg | tail -n +$((m + 1)) | grep -q 'payload longer than 32767 bytes'"
{ printf '%s' "$base"; pad $((1048576 - ${#base})); } > /tmp/p1m1
expect_err "1 MiB: refused by the keys core: EINVAL" "$EINVAL" \
	sh -c "keyctl padd trusted-import big4 @s < /tmp/p1m1"
rm -f /tmp/p32767 /tmp/p32768 /tmp/p1m /tmp/p1m1
no_key "1 MiB" big3

# --- repeated and conflicting options
expect_err "ti.verify=1 ti.verify=0: EINVAL (ours are never repeated)" "$EINVAL" \
	sh -c "printf 'import %s %s ti.verify=1 ti.verify=0' '$(randhex 32)' '$KH' | keyctl padd trusted-import rep1 @s"
no_key "repeated ti.verify" rep1

# --- one description, eight importers at once: one wins, the rest EEXIST
for i in 1 2 3 4 5 6 7 8; do
	(printf 'import %s %s' "$(randhex 32)" "$KH" |
		keyctl padd trusted-import race @s >/dev/null 2>/tmp/race.$i && echo won > /tmp/race.$i) &
done
wait
check "one description, 8 importers: exactly one wins" \
	test "$(cat /tmp/race.* | grep -c '^won$')" -eq 1
check "one description, 8 importers: the others get EEXIST" \
	test "$(cat /tmp/race.* | grep -c 'File exists')" -eq 7
rm -f /tmp/race.*

# wait (at most 60 s) until N requests hold the module: each one pins it
# from ->preparse to ->free_preparse, so they are then in flight
pinned() {
	i=0
	while [ "$(awk '$1 == "trusted_import" { print $3 }' /proc/modules)" -lt "$1" ] &&
		[ $i -lt 600 ]; do
		sleep 0.1; i=$((i + 1))
	done
}

# --- defect 3: updates and imports in flight while rmmod is retried
id=$(printf 'import %s %s' "$(randhex 32)" "$KH" | keyctl padd trusted-import rmupd @s)
(for i in 1 2 3 4 5 6; do keyctl update "$id" "update $KH" 2>/dev/null; done) &
u=$!
(for i in 1 2 3 4 5 6; do printf 'import %s %s' "$(randhex 32)" "$KH" |
	keyctl padd trusted-import "rmimp$i" @s >/dev/null 2>&1; done) &
v=$!
busy=0
while kill -0 $u 2>/dev/null || kill -0 $v 2>/dev/null; do
	rmmod trusted_import 2>/dev/null && modprobe trusted_import
	busy=$((busy + 1))
	sleep 0.2
done
wait
note "rmmod retried $busy times while updates and imports ran"
grep -q '^trusted_import ' /proc/modules || modprobe trusted_import
check "after the rmmod race: the module loads and imports work" sh -c \
	"printf 'import %s %s' '$(randhex 32)' '$KH' | keyctl padd trusted-import afterrm @s >/dev/null"
# The same without luck: an update held in the TPM (the host stops swtpm)
# while rmmod runs. The request pins the module, so rmmod must fail at
# once; before the fix rmmod waited for the update, then unloaded it.
id=$(printf 'import %s %s' "$(randhex 32)" "$KH" | keyctl padd trusted-import rmheld @s)
b0=$(keyctl pipe "$id")
rm -f /tmp/held.rc /tmp/held.rm
tap_raw "TI-STALL-TPM"
sleep 1
(keyctl update "$id" "update $KH" 2>/dev/null; echo $? > /tmp/held.rc) &
pinned 1
# in the background: before the fix rmmod blocked here until the TPM answered
(rmmod trusted_import 2>/dev/null; echo $? > /tmp/held.rm) &
sleep 2
check "an update held in the TPM: rmmod fails at once (the module is pinned)" \
	sh -c 'test -e /tmp/held.rm && test "$(cat /tmp/held.rm)" != 0'
check "an update held in the TPM: the module is still loaded" \
	grep -q '^trusted_import ' /proc/modules
tap_raw "TI-RESUME-TPM"
wait
check "an update held in the TPM: it completes once the TPM answers" \
	test "$(cat /tmp/held.rc)" = 0
check "an update held in the TPM: the key has a new blob" \
	test "$(keyctl pipe "$id")" != "$b0"
check "an update held in the TPM: rmmod works afterwards" rmmod trusted_import
modprobe trusted_import
rm -f /tmp/held.rc /tmp/held.rm

# --- uid 1000 with allow_unprivileged=1: never the bytes of a logon key
rmmod trusted_import
check "reload with allow_unprivileged=1" modprobe trusted_import allow_unprivileged=1
check "allow_unprivileged=1: uid 1000 imports bytes of its own" as_user sh -c \
	"printf 'import %s %s' '$(randhex 32)' '$KH' | keyctl padd trusted-import uimp @s >/dev/null"
expect_err "allow_unprivileged=1: uid 1000 import-key of its own logon key: EPERM" "$EPERM" \
	as_user sh -c "head -c 32 /dev/urandom | keyctl padd logon u:log @s >/dev/null &&
		printf 'import-key logon:u:log %s' '$KH' | keyctl padd trusted-import uik @s"
expect_err "a user namespace's root: EPERM (no CAP_SYS_ADMIN in the initial namespace)" "$EPERM" \
	/usr/bin/setpriv --reuid=1000 --regid=1000 --clear-groups unshare -r sh -c \
	"head -c 32 /dev/urandom | keyctl padd logon ns:log @s >/dev/null &&
		printf 'import-key logon:ns:log %s' '$KH' | keyctl padd trusted-import nsik @s"
rmmod trusted_import
modprobe trusted_import

# --- defect 6: the off switch is a barrier. Three imports are in flight,
# stalled in the TPM (the host SIGSTOPs swtpm on TI-STALL-TPM, qemu.sh
# --stall-tpm), when 0 is written: the write may return only after they
# finished, and an import that starts while it waits must see it off.
# Before the fix the write returned at once and the three completed later.
rm -f /tmp/fly.* /tmp/switch.*
tap_raw "TI-STALL-TPM"
sleep 1
for i in 1 2 3; do
	(printf 'import %s %s' "$(randhex 32)" "$KH" |
		keyctl padd trusted-import "fly$i" @s >/dev/null 2>&1
	echo $? > /tmp/fly.$i) &
done
pinned 3
# at its return, count the fly keys that are instantiated (flag I)
(echo 0 > $P/imports; echo $? > /tmp/switch.rc
	grep ' trusted-i ' /proc/keys | grep ' fly[123]: ' |
		awk '$2 ~ /^I/' | wc -l > /tmp/switch.keys) &
sleep 1
check "off switch: the write of 0 waits while imports are in flight" \
	test ! -e /tmp/switch.rc
(printf 'import %s %s' "$(randhex 32)" "$KH" |
	keyctl padd trusted-import late @s > /tmp/late.out 2>&1; echo $? > /tmp/late.rc) &
sleep 1
tap_raw "TI-RESUME-TPM"
wait
check "off switch: the three imports in flight succeeded" \
	test "$(cat /tmp/fly.1 /tmp/fly.2 /tmp/fly.3 | tr -d '\n')" = 000
check "off switch: the write of 0 succeeded" test "$(cat /tmp/switch.rc)" = 0
check "off switch: when it returned, all three imports had made their keys" \
	test "$(cat /tmp/switch.keys)" -eq 3
check "off switch: an import started while it waited: EPERM" \
	sh -c "test \"\$(cat /tmp/late.rc)\" != 0 && grep -q '$EPERM' /tmp/late.out"
no_key "an import during the switch" late
expect_err "off switch: an import after it: EPERM" "$EPERM" \
	sh -c "printf 'import %s %s' '$(randhex 32)' '$KH' | keyctl padd trusted-import after @s"
rm -f /tmp/fly.* /tmp/switch.* /tmp/late.*

# --- defect 1 again with imports switched off
echo 0 > $P/imports
expect_err "imports=0: uid 1000 'update' onto a negative key: ENOKEY" "$ENOKEY" \
	as_user sh -c "keyctl request2 trusted-import uneg2 foo @s 2>/dev/null; printf update | keyctl padd trusted-import uneg2 @s"
