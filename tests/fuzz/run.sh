#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fuzz the request parser (src/request.c) with libFuzzer, ASan and UBSan,
# starting from the seed corpus in tests/fuzz/corpus/ (copied to a temporary
# directory: the repo's corpus is never written to). Installs clang and the
# libFuzzer runtime when missing. Prints one TAP line on stdout; exits
# non-zero on a build failure or a crash, and then keeps the temporary
# directory (log and crashing input) for inspection.
# Usage: tests/fuzz/run.sh [SECONDS]     (default 60)
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

secs=${1:-60}
[[ $secs =~ ^[1-9][0-9]*$ ]] || die "usage: $0 [SECONDS]"

cflags=(-g -O1 "-fsanitize=fuzzer,address,undefined" -fno-sanitize-recover=all
	-I"$TI_ROOT/include")
tmp=$(mktemp -d)
keep=0
trap '[ $keep -eq 1 ] || rm -rf "$tmp"' EXIT

# not ok, with a reason; the log's tail and the input as diagnostics
fail() {
	keep=1
	echo "not ok - fuzz: $1"
	if [ -s "$tmp/fuzz.log" ]; then
		echo "# last lines of $tmp/fuzz.log:"
		tail -n 40 "$tmp/fuzz.log" | sed 's/^/#   /'
	fi
	local f
	for f in "$tmp"/artifacts/*; do
		[ -e "$f" ] || continue
		echo "# reproducer $f ($(stat -c %s "$f") bytes), in hex:"
		od -An -tx1 -v "$f" | sed 's/^ */#   /'
		echo "# rerun: $tmp/fuzz_payload $f"
	done
	exit 1
}

# clang can build and run a libFuzzer target with both sanitizers
fuzz_toolchain_ok() {
	command -v clang >/dev/null || return 1
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
		'{ (void)d; (void)n; return 0; }' > "$tmp/probe.c"
	clang "${cflags[@]}" -o "$tmp/probe" "$tmp/probe.c" 2>/dev/null &&
		"$tmp/probe" -runs=1 >/dev/null 2>&1
}

apt_install() {
	say "installing $*"
	if ! as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends "$@"; then
		as_root apt-get update
		as_root env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y --no-install-recommends "$@"
	fi
}

if ! fuzz_toolchain_ok; then
	command -v clang >/dev/null || apt_install clang
	major=$(clang -dumpversion | cut -d. -f1)
	fuzz_toolchain_ok || apt_install "libclang-rt-$major-dev"
	fuzz_toolchain_ok || fail "clang cannot build a libFuzzer target with ASan and UBSan"
fi

say "building the fuzzer"
if ! clang "${cflags[@]}" -o "$tmp/fuzz_payload" \
	"$TI_ROOT/tests/fuzz/fuzz_payload.c" "$TI_ROOT/src/request.c" \
	> "$tmp/fuzz.log" 2>&1; then
	fail "build failed"
fi

mkdir "$tmp/corpus" "$tmp/artifacts"
cp "$TI_ROOT"/tests/fuzz/corpus/* "$tmp/corpus/"

say "fuzzing for ${secs}s"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
start=$(date +%s)
rc=0
"$tmp/fuzz_payload" -max_total_time="$secs" -print_final_stats=1 \
	-max_len=33000 -artifact_prefix="$tmp/artifacts/" \
	"$tmp/corpus" > "$tmp/fuzz.log" 2>&1 < /dev/null || rc=$?
elapsed=$(( $(date +%s) - start ))

execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$tmp/fuzz.log" | tail -n 1)
cov=$(grep -o 'cov: [0-9]*' "$tmp/fuzz.log" | tail -n 1 | cut -d' ' -f2)
# libFuzzer's own run time, else the wall clock
took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$tmp/fuzz.log" | tail -n 1)
corpus=$(find "$tmp/corpus" -type f | wc -l)
summary="${execs:-?} executions in ${took:-$elapsed} s, coverage ${cov:-?} edges, corpus $corpus inputs"

artifacts=$(find "$tmp/artifacts" -type f | wc -l)
if [ "$rc" -ne 0 ] || [ "$artifacts" -ne 0 ] || [ -z "$execs" ]; then
	reason=$(grep -m 1 -E 'invariant violated|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: ' \
		"$tmp/fuzz.log" | sed 's/^==[0-9]*== *//' || true)
	[ -n "$reason" ] || reason="fuzzer exited with status $rc"
	fail "$reason ($summary)"
fi
echo "ok - fuzz: $summary"
