#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The whole test suite: the parser's unit tests and fuzzing, lint, the module
# against Debian's stock headers, then every kernel of tests/matrix.conf
# (tests/suite.sh: its test kernel, DKMS, the guest boots in QEMU + swtpm).
# Prints TAP, a per-kernel table, and ends with one line
# "N passed, N failed, N skipped".
# Usage: tests/run.sh
# TI_MATRIX="6.12/x86_64 6.1/x86_64" runs only those kernels (default: all);
# TI_BOOTS narrows the boots on every kernel (names and groups of
# tests/boots.conf); an unknown name in either fails at once;
# TI_QUICK=1 leaves out the stock-headers checks (make check-quick);
# TI_BUDGET_MIN (45) is the time after which no further kernel, and no
# further boot, starts.
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$TI_ROOT/tests/lib/tap.sh"
. "$TI_ROOT/tests/lib/boots.sh"

out=${TI_OUT:-$TI_ROOT/build/check}
rm -rf "$out"
mkdir -p "$out"
results=$out/all.tap
: > "$results"
start=$(date +%s)

# the matrix: the kernels asked for (TI_MATRIX), in tests/matrix.conf order
rows=() kernels=() bad=()
while read -r ver arch variant boots; do
	case $ver in ''|'#'*) continue ;; esac
	kernels+=("$ver/$arch")
	# shellcheck disable=SC2086 # a list of words
	[ "$boots" = all ] || unknown=$(boot_unknown $boots) ||
		bad+=("tests/matrix.conf: $ver/$arch names no boot: $unknown")
	if [ -n "${TI_MATRIX:-}" ] && [[ " $TI_MATRIX " != *" $ver/$arch "* ]]; then
		continue
	fi
	rows+=("$ver $arch $variant $boots")
done < "$TI_ROOT/tests/matrix.conf"

# A name that selects nothing is a mistake, not an empty run: stop before
# anything is built, naming what would have been valid.
for k in ${TI_MATRIX:-}; do
	[[ " ${kernels[*]} " == *" $k "* ]] ||
		bad+=("TI_MATRIX names no kernel of tests/matrix.conf: $k (valid: ${kernels[*]})")
done
# shellcheck disable=SC2086
unknown=$(boot_unknown ${TI_BOOTS:-}) ||
	bad+=("TI_BOOTS names no boot of tests/boots.conf: $unknown (valid: $(boot_names | paste -sd ' '))")
if [ ${#bad[@]} -gt 0 ]; then
	for i in "${!bad[@]}"; do
		echo "error: ${bad[i]}" >&2
		echo "not ok $((i + 1)) - setup: ${bad[i]}"
	done
	echo "0 passed, ${#bad[@]} failed, 0 skipped"
	exit 1
fi

# From a cold cache the kernel builds are most of the run, so everything
# that does not need a kernel overlaps with them from the first second:
# the other kernels are built ahead at low priority (lint builds the
# default one, 6.12 x86_64 full, in the foreground) while the host checks
# and the first kernel's guests run, and the stock-headers check runs
# alongside. Two builds ahead run at once: a build has long single-threaded
# stretches (unpacking, configuring, linking) that would leave a core idle.
# The build script's lock makes a suite wait for a tree still being built;
# $out/built/ says which trees are done.
mkdir -p "$out/built"
lint_kernel="$TI_KVER_DEFAULT $TI_ARCH_DEFAULT $TI_VARIANT_DEFAULT"
ahead=()
for row in "${rows[@]}"; do
	read -r ver arch variant _ <<< "$row"
	[ "$ver $arch $variant" = "$lint_kernel" ] || ahead+=("$ver $arch $variant")
done
# build_ahead FIRST: every second kernel of $ahead from FIRST on, in order
build_ahead() {
	local i ver arch variant
	for ((i = $1; i < ${#ahead[@]}; i += 2)); do
		read -r ver arch variant <<< "${ahead[i]}"
		if nice -n 10 "$TI_ROOT/tests/vm/build-kernel.sh" "$ver" "$arch" "$variant" \
			>/dev/null 2>>"$out/build-ahead.log"; then
			touch "$out/built/$ver-$arch-$variant"
		else
			touch "$out/built/$ver-$arch-$variant.failed"
		fi
	done
}
bg=()
# On exit, the jobs still running and all they started: killing a job's
# subshell alone would leave its kernel build running after make check.
# (build-kernel.sh starts over from a half-made tree.)
tree() {
	local p
	for p in "$@"; do
		echo "$p"
		# shellcheck disable=SC2046
		tree $(pgrep -P "$p")
	done
}
trap 'kill $(tree "${bg[@]}") 2>/dev/null' EXIT
build_ahead 0 &
bg+=($!)
build_ahead 1 &
bg+=($!)
headers=
if [ -z "${TI_QUICK:-}" ] && [ -x "$TI_ROOT/tests/vm/distro-headers.sh" ]; then
	say "Debian's stock kernel headers: compile coverage and the DKMS skip (in the background)"
	nice -n 10 "$TI_ROOT/tests/vm/distro-headers.sh" "$out/headers" \
		> "$out/headers.tap" 2> "$out/headers.log" &
	headers=$!
	bg+=("$headers")
fi

say "unit tests"
"$TI_ROOT/tests/unit/run.sh" > "$out/unit.tap" 2>&1 || true
add unit < "$out/unit.tap"
grep -q '^ok' "$out/unit.tap" || fail "unit tests ran (see ${out#"$TI_ROOT"/}/unit.tap)"

say "the benchmark's report against its fixtures"
python3 "$TI_ROOT/tests/bench/test_report.py" > "$out/bench-report.tap" 2>&1
add bench-report < "$out/bench-report.tap"
grep -q '^ok' "$out/bench-report.tap" || fail "the benchmark report's self-test ran (see ${out#"$TI_ROOT"/}/bench-report.tap)"

say "the boot registry (tests/boots.conf)"
"$TI_ROOT/tests/registry-check.sh" > "$out/registry.tap" 2>&1
add registry < "$out/registry.tap"
grep -q '^ok' "$out/registry.tap" || fail "the boot registry was checked (see ${out#"$TI_ROOT"/}/registry.tap)"

# The compile probes fail closed: a probe that cannot compile at all (here:
# no kernel headers) must stop the build, not pick the pre-5.13 code path.
if out_p=$("$TI_ROOT/compat/conftest.sh" "${CC:-cc}" -nostdinc -I/nonexistent 2>/dev/null); then
	echo "not ok - compile probes: a probe that cannot run fails the build (exit 0, printed '$out_p')" | add probes
elif [ "$out_p" = TI_PROBES_FAILED ]; then
	echo "ok - compile probes: a probe that cannot run fails the build" | add probes
else
	echo "not ok - compile probes: a probe that cannot run fails the build (printed '$out_p')" | add probes
fi

say "fuzzing the parser for ${TI_FUZZ_SECONDS:-60} s (libFuzzer, ASan, UBSan)"
"$TI_ROOT/tests/fuzz/run.sh" "${TI_FUZZ_SECONDS:-60}" > "$out/fuzz.log" 2>&1
add parser < "$out/fuzz.log"
grep -qE '^(ok|not ok)' "$out/fuzz.log" || fail "fuzzing ran (see ${out#"$TI_ROOT"/}/fuzz.log)"

say "lint: checkpatch --strict and sparse"
if "$TI_ROOT/tests/lint.sh" > "$out/lint.log" 2>&1; then
	echo "ok - checkpatch --strict and sparse are clean" | add lint
else
	echo "not ok - checkpatch --strict and sparse are clean (see ${out#"$TI_ROOT"/}/lint.log)" | add lint
fi

say "the Makefile contract of docs/packaging.md, against the lint kernel's tree"
# shellcheck disable=SC2086 # lint_kernel is VERSION ARCH VARIANT
if ktree=$("$TI_ROOT/tests/vm/build-kernel.sh" $lint_kernel 2>>"$out/packaging.log"); then
	"$TI_ROOT/tests/packaging/makefile-contract.sh" "$ktree" > "$out/packaging.tap" 2>>"$out/packaging.log"
else
	echo "not ok - the Makefile contract: the kernel tree builds (see ${out#"$TI_ROOT"/}/packaging.log)" > "$out/packaging.tap"
fi
add packaging < "$out/packaging.tap"
grep -qE '^(ok|not ok)' "$out/packaging.tap" || fail "the Makefile contract was checked (see ${out#"$TI_ROOT"/}/packaging.log)"

# One tests/suite.sh per kernel, its results named by kernel. A kernel
# still being built ahead is waited for, up to TI_BUDGET_MIN minutes
# (default 45); one that would start later is reported as skipped, counted
# in the last line and named in the table, not silently dropped, and not
# run half-way. make check must end within 60 minutes on CI's slowest
# machines, even from a cold cache, where the first kernel's build alone
# can take most of the budget: so no boot starts after it either
# (suite.sh reads TI_DEADLINE), and the boot that runs then ends within
# minutes.
budget=${TI_BUDGET_MIN:-45}
export TI_DEADLINE=$((start + budget * 60)) TI_BUDGET_MIN=$budget
table=()
for row in "${rows[@]}"; do
	read -r ver arch variant boots <<< "$row"
	label=$ver/$arch
	[ "$boots" = all ] && boots=""
	built=$out/built/$ver-$arch-$variant
	if [ "$ver $arch $variant" != "$lint_kernel" ] && [ ! -e "$built" ] &&
		[ ! -e "$built.failed" ]; then
		say "$label: waiting for its kernel, built ahead"
		while [ ! -e "$built" ] && [ ! -e "$built.failed" ] &&
			[ $(($(date +%s) - start)) -le $((budget * 60)) ]; do
			sleep 5
		done
	fi
	# a build that failed ahead fails the kernel here, rather than again
	if [ -e "$built.failed" ]; then
		echo "not ok - $label: its test kernel builds (see ${out#"$TI_ROOT"/}/build-ahead.log)" >> "$results"
		table+=("$(printf '%-12s %-11s %s' "$label" "$variant" "failed: the kernel build")")
		continue
	fi
	why=
	if [ $(($(date +%s) - start)) -gt $((budget * 60)) ]; then
		why="over the $budget-minute budget"
		[ "$ver $arch $variant" = "$lint_kernel" ] || [ -e "$built" ] ||
			why="its kernel was not built within $budget minutes"
	fi
	if [ -n "$why" ]; then
		skip "$label" "$why"
		table+=("$(printf '%-12s %-11s %s' "$label" "$variant" "skipped: $why")")
		continue
	fi
	s=$(date +%s)
	TI_BOOTS=${TI_BOOTS:-$boots} "$TI_ROOT/tests/suite.sh" "$ver" "$arch" "$variant" \
		"$out/$ver-$arch" >&2
	n=$(wc -l < "$results")
	add "$label" < "$out/$ver-$arch/all.tap"
	[ "$(wc -l < "$results")" -gt "$n" ] ||
		echo "not ok - $label: this kernel left no results" >> "$results"
	table+=("$(printf '%-12s %-11s %6s %6s %7s %5s min' "$label" "$variant" \
		"$(tap_count passed "$out/$ver-$arch/all.tap")" \
		"$(tap_count failed "$out/$ver-$arch/all.tap")" \
		"$(tap_count skipped "$out/$ver-$arch/all.tap")" \
		$(( ($(date +%s) - s + 30) / 60 )))")
done

if [ -n "$headers" ]; then
	wait "$headers"
	add headers < "$out/headers.tap"
	grep -qE '^(ok|not ok)' "$out/headers.tap" || fail "stock headers checked (see ${out#"$TI_ROOT"/}/headers.log)"
fi

n=0
echo "TAP version 13"
while IFS= read -r line; do
	n=$((n + 1))
	case $line in
	"not ok"*) echo "not ok $n${line#not ok}" ;;
	*) echo "ok $n${line#ok}" ;;
	esac
done < "$results"
echo "1..$n"
echo "# kernel       variant     passed failed skipped  time"
for row in "${table[@]}"; do echo "# $row"; done
# what each boot cost (docs/testing.md keeps these per boot)
for f in "$out"/*/boot-seconds; do
	[ -f "$f" ] || continue
	d=${f%/boot-seconds} d=${d##*/}
	echo "# ${d%-*}/${d##*-} boots (s): $(awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }' "$f")"
done
echo "# total time: $(( ($(date +%s) - start + 30) / 60 )) min; logs: ${out#"$TI_ROOT"/}"
pass=$(tap_count passed "$results")
fail_n=$(tap_count failed "$results")
echo "$pass passed, $fail_n failed, $(tap_count skipped "$results") skipped"
[ "$fail_n" -eq 0 ] && [ "$pass" -gt 0 ]
