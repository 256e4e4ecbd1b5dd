#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench` (issue 7): what an import costs next to the stock trusted
# type's own "new" and "load", in the test VM, on TPM 2.0 and on TPM 1.2
# (swtpm): time per operation, TPM commands per operation (from swtpm's
# log), imports in a row, kernel memory, the module's size. Writes
# docs/benchmarks.md and prints the summary; exits non-zero when a target
# is missed or a boot failed.
# Usage: tests/bench/run.sh [--quick] [KERNEL_VERSION]
#   --quick: 50 rounds, runs of 1/10/100, 100 keys for memory per key;
#            the report goes to the output directory only (docs/benchmarks.md
#            is left alone). For iterating.
# A full run: 1000 rounds of the operations per TPM, runs of
# 1/10/100/1000 imports, 1000 live keys of each kind for memory per key.
# Environment: TI_OUT (default build/bench-<version>), TI_BENCH_N (rounds),
# TI_BENCH_TPMS ("2 12": which TPMs), TI_VM_TIMEOUT (per boot, default
# 3600 s), TI_BENCH_KDIR (a built kernel tree to use instead of the cached
# test kernel, e.g. one with a patch to compare).
set -uo pipefail
. "$(dirname "$0")/../lib/common.sh"

quick=0
ver=$TI_KVER_DEFAULT
for a in "$@"; do
	case $a in
	--quick) quick=1 ;;
	-*) die "usage: tests/bench/run.sh [--quick] [KERNEL_VERSION]" ;;
	*) ver=$a ;;
	esac
done
out=${TI_OUT:-$TI_ROOT/build/bench-$ver}
if [ "$quick" = 1 ]; then
	rounds=${TI_BENCH_N:-50} warm=2 count=3 scale=1,10,100 memkeys=100
	doc=$out/benchmarks.md
	cmd="tests/bench/run.sh --quick"
else
	rounds=${TI_BENCH_N:-1000} warm=5 count=5 scale=1,10,100,1000 memkeys=1000
	doc=$TI_ROOT/docs/benchmarks.md
	cmd="make bench"
fi
tpms=${TI_BENCH_TPMS:-2 12}
t0=$(date +%s)
rm -rf "$out"
mkdir -p "$out"
cp /proc/loadavg "$out/loadavg-start"

say "test kernel $ver"
if [ -n "${TI_BENCH_KDIR:-}" ]; then
	kdir=$TI_BENCH_KDIR
else
	kdir=$("$TI_ROOT/tests/vm/build-kernel.sh" "$ver") || die "test kernel $ver did not build"
fi
say "module, through dkms add/build/install"
ko=$("$TI_ROOT/tests/vm/dkms-build.sh" "$kdir" "$out/dkms") || die "dkms build failed"
"$TI_ROOT/tests/vm/initramfs.sh" "$kdir" "$ko" "$out/initrd.gz" || die "initramfs failed"

# The module's size: as tested (KASAN-instrumented, like the whole test
# kernel), and the same sources without KASAN instrumentation, closer to
# what a production kernel's build gives; the stock trusted.ko for scale.
kver=$(cat "$kdir/.ti-kernelrelease")
size "$ko" > "$out/size-ko.txt"
trusted_ko=$(find "$kdir/.ti-modroot/lib/modules/$kver" -name 'trusted.ko*' | head -n 1)
[ -n "$trusted_ko" ] && size "$trusted_ko" > "$out/size-trusted.txt"
plain=$(mktemp -d)
cp -r "$TI_ROOT"/{Kbuild,dkms.conf,src,include} "$plain/"
if make -s -C "$kdir" M="$plain" KASAN_SANITIZE=n modules >"$out/plain-build.log" 2>&1; then
	size "$plain/trusted_import.ko" > "$out/size-ko-nokasan.txt"
fi
rm -rf "$plain"

status=0
for t in $tpms; do
	# TPM 1.2: no panic on the tpm_buf_reset() WARN (docs/backends.md), and
	# its splat kept off the console; t-bench.sh counts the splats and
	# shows anything else.
	case $t in
	2) name=tpm2 label=2.0 tflag=() kargs="" ;;
	12) name=tpm12 label=1.2 tflag=(--tpm12) kargs="panic_on_warn=0 loglevel=4" ;;
	*) die "TI_BENCH_TPMS: 2 or 12, not $t" ;;
	esac
	say "swtpm state for TPM $label"
	"$TI_ROOT/tests/vm/tpm.sh" "$out/state-$name" "${tflag[@]}" || die "swtpm provisioning failed"
	say "guest: bench on TPM $label ($rounds rounds, runs of $scale)"
	b0=$(date +%s)
	# swtpm's log level 2 writes every command and response in hex,
	# without libtpms' own tracing (level 5 and up)
	TI_SWTPM_LOG_LEVEL=2 TI_VM_TIMEOUT=${TI_VM_TIMEOUT:-3600} \
		"$TI_ROOT/tests/vm/qemu.sh" "$kdir" "$out/initrd.gz" "$out/$name" bench \
		--tpm "$out/state-$name" "${tflag[@]}" \
		--append "ti_bench_n=$rounds ti_bench_warm=$warm ti_bench_count=$count ti_bench_scale=$scale ti_bench_memkeys=$memkeys${kargs:+ $kargs}"
	echo "$(( $(date +%s) - b0 ))" > "$out/$name/boot-seconds"
	if grep '^not ok' "$out/$name/results.tap" >&2; then
		status=1
	fi
done

# Where the time goes: the TPM 2.0 timing once more, with kmemleak off
# (kmemleak=off), to show what the debug kernel's allocation tracking
# charges the module's few allocations. No scaling, no memory.
if [[ " $tpms " == *" 2 "* ]]; then
	say "guest: TPM 2.0 timing again, kmemleak=off"
	"$TI_ROOT/tests/vm/tpm.sh" "$out/state-tpm2-nokmemleak" || die "swtpm provisioning failed"
	TI_SWTPM_LOG_LEVEL=2 TI_VM_TIMEOUT=${TI_VM_TIMEOUT:-3600} \
		"$TI_ROOT/tests/vm/qemu.sh" "$kdir" "$out/initrd.gz" "$out/tpm2-nokmemleak" bench \
		--tpm "$out/state-tpm2-nokmemleak" \
		--append "ti_bench_n=$rounds ti_bench_warm=$warm ti_bench_count=$count ti_bench_scale=0 ti_bench_memkeys=0 kmemleak=off"
	if grep '^not ok' "$out/tpm2-nokmemleak/results.tap" >&2; then
		status=1
	fi
fi
cp /proc/loadavg "$out/loadavg-end"
say "report"
python3 "$TI_ROOT/tests/bench/report.py" --out "$out" --doc "$doc" \
	--command "$cmd" --tpms "$tpms" --wall "$(( $(date +%s) - t0 ))" \
	--kernel-pkg "linux-source-$ver $(source_pkg_version "$ver")" || status=1
# swtpm's hex logs are large; report.py has read them
gzip -f "$out"/tpm*/swtpm.log 2>/dev/null
if [ "$quick" = 0 ]; then
	say "wrote docs/benchmarks.md"
else
	say "wrote ${doc#"$TI_ROOT"/} (quick run: docs/benchmarks.md untouched)"
fi
exit $status
