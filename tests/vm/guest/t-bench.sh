# SPDX-License-Identifier: GPL-2.0
# The guest side of `make bench` (tests/bench/run.sh): what an import costs
# next to the stock type's own "new" and "load", on whichever TPM this boot
# has. /ti/ti_bench does the measuring; its "BENCH ..." lines go to the TAP
# channel for the host (tests/bench/report.py), with a few TAP results.
# Kernel command line: ti_bench_count (ops per kind whose TPM commands are
# counted), ti_bench_n (timed rounds), ti_bench_warm (warm-up rounds),
# ti_bench_scale (comma-separated run lengths; 0: none), ti_bench_verify (1: the
# scaling runs verify), ti_bench_memkeys (live keys for the memory-per-key
# comparison; 0 skips it).
load_modules
major=$(cat /sys/class/tpm/tpm0/tpm_version_major 2>/dev/null)
# Stock options for every command. TPM 1.2: the stock defaults (the SRK,
# keyauth of 20 zero bytes, the TCG well-known secret) first; swtpm_setup
# 0.7's --srk-well-known sets the SRK's auth to SHA-1(20 zero bytes)
# instead, so that is tried next.
case $major in
2) candidates=$KH ;;
1) candidates=". $TI_SRK_KEYAUTH" ;;
*) nok "a TPM is present (tpm_version_major '$major')"; return 0 ;;
esac
# TPM 1.2: every seal and unseal WARNs in tpm_buf_reset() (docs/backends.md);
# the host boots with panic_on_warn=0 loglevel=4. Keep the whole kernel log
# here, to count those splats and show everything else at the end.
kmsg_pid=""
if [ "$major" = 1 ]; then
	cat /proc/kmsg > /tmp/kmsg.log &
	kmsg_pid=$!
fi
klog_done() {
	[ -n "$kmsg_pid" ] || return 0
	sleep 1
	kill "$kmsg_pid"
	# Known splats are counted by the function that reset the buffer; every
	# other line the console did not show (levels 4 to 7) is shown now, so
	# that the host's log check sees any other warning.
	awk '
	/-----\[ cut here \]-----/ { blk = 1; n = 0; known = 0; fn = "other"; ours = 0 }
	blk {
		line[n++] = $0
		if ($0 ~ /WARNING: .* at drivers\/char\/tpm\/tpm-buf\.c:[0-9]+ tpm_buf_reset/) known = 1
		if ($0 ~ / tpm_seal\+/ && fn == "other") fn = "seal"
		if ($0 ~ / tpm_unseal\+/ && fn == "other") fn = "unseal"
		if ($0 ~ / ti_(seal_into|verify)\+/) ours = 1
		if ($0 ~ /---\[ end trace/) {
			blk = 0
			if (known) {
				cnt[fn]++
				# how long the splat is, by who called: its cost
				# grows with the depth of the stack it prints
				who = fn (ours ? "_ti" : "_stock")
				nb[who]++
				nl[who] += n
			} else
				for (i = 0; i < n; i++) print line[i]
		}
		next
	}
	/^<[4-7]>/ { print }
	END {
		printf "BENCH klog known_warn_seal=%d known_warn_unseal=%d known_warn_other=%d", cnt["seal"], cnt["unseal"], cnt["other"] > "/tmp/klog.bench"
		split("seal_stock seal_ti unseal_stock unseal_ti", w, " ")
		for (i = 1; i <= 4; i++)
			printf " lines_%s=%.1f", w[i], nb[w[i]] ? nl[w[i]] / nb[w[i]] : 0 > "/tmp/klog.bench"
		printf "\n" > "/tmp/klog.bench"
	}' /tmp/kmsg.log
	cat /tmp/klog.bench > "$TAP"
	note "tpm_buf_reset() WARN splats, kept off the console: $(cat /tmp/klog.bench)"
	kmsg_pid=""
}
scale=$(echo "${ti_bench_scale:-1,10,100,1000}" | tr ',' ' ')
note "bench on TPM $major.x"

bench() { echo "BENCH $*" > "$TAP"; }
bench "env kernel=$(uname -r) tpm_major=$major cpus=$(grep -c ^processor /proc/cpuinfo)"
bench "env cmdline=$(tr ' ' '\n' < /proc/cmdline | grep -E '^(ti_|init_on|audit)' | tr '\n' ',')"
bench "module coresize=$(cat /sys/module/trusted_import/coresize) initsize=$(cat /sys/module/trusted_import/initsize 2>/dev/null || echo 0) trusted_coresize=$(cat /sys/module/trusted/coresize 2>/dev/null || echo 0)"

# The stock type must work on this TPM before anything is compared with it.
O=""
for c in $candidates; do
	[ "$c" = . ] && c=""
	if id=$(keyctl add trusted bench-sanity "new 32${c:+ $c}" @s 2>/tmp/bench.err); then
		O=$c
		break
	fi
	note "stock trusted: new 32 with options '$c': $(cat /tmp/bench.err)"
	id=""
done
if [ -z "$id" ]; then
	nok "stock trusted: new 32 on TPM $major.x"
	dmesg | grep -iE 'tpm|trusted' | tail -n 20
	klog_done
	return 0
fi
ok "stock trusted: new 32 on TPM $major.x (options '$O')"
bench "env opts=$O"
blob=$(keyctl pipe "$id")
keyctl unlink "$id" @s >/dev/null
check "stock trusted: load of that blob" \
	sh -c "keyctl add trusted bench-sanity2 'load $blob${O:+ $O}' @s >/dev/null"
if printf 'import %s%s' "$(randhex 32)" "${O:+ $O}" |
	keyctl padd trusted-import bench-sanity3 @s >/dev/null 2>/tmp/bench.err; then
	ok "trusted-import: import with verification on TPM $major.x"
else
	nok "trusted-import: import with verification on TPM $major.x: $(cat /tmp/bench.err)"
fi
keyctl clear @s

# run DESC ARGS...: one ti_bench phase; its output goes to the host
run() {
	d=$1
	shift
	start=$(date +%s)
	if /ti/ti_bench -o "$O" "$@" > /tmp/bench.out 2>/tmp/bench.log; then
		ok "$d ($(( $(date +%s) - start )) s)"
	else
		nok "$d: $(tail -n 3 /tmp/bench.log | tr '\n' ' ')"
	fi
	cat /tmp/bench.out > "$TAP"
}

run "TPM command count, ${ti_bench_count:-5} ops per kind" count "${ti_bench_count:-5}"
run "timing, ${ti_bench_n:-200} rounds of every operation" \
	time "${ti_bench_n:-200}" "${ti_bench_warm:-5}"
if [ "$scale" = 0 ]; then
	:	# ti_bench_scale=0: no scaling runs, no memory snapshots
elif [ "${ti_bench_verify:-1}" = 1 ]; then
	# shellcheck disable=SC2086 # one argument per run length
	run "scaling: imports in a row ($scale), with verification" scale $scale
else
	# shellcheck disable=SC2086
	run "scaling: imports in a row ($scale), ti.verify=0" -0 scale $scale
fi
if [ "${ti_bench_memkeys:-0}" -gt 0 ]; then
	run "memory per live key: ${ti_bench_memkeys} stock keys" memkeys trusted "$ti_bench_memkeys"
	run "memory per live key: ${ti_bench_memkeys} imported keys" memkeys trusted-import "$ti_bench_memkeys"
fi
klog_done
bench "end"
