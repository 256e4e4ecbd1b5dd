#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The whole test suite: the parser's unit tests, then the module built by
# DKMS against a real test kernel and exercised in QEMU with swtpm.
# Prints TAP and ends with one line "N passed, N failed".
# Usage: tests/run.sh [KERNEL_VERSION]
# TI_BOOTS="main stress" runs only those guest boots (default: all);
# TI_STRESS_N sets the imports per process of the stress boot (default 10).
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"

ver=${1:-$TI_KVER_DEFAULT}
out=${TI_OUT:-$TI_ROOT/build/check-$ver}
rm -rf "$out"
mkdir -p "$out"
results=$out/all.tap
: > "$results"

# add SECTION < TAP: keep the ok / not ok lines, named by their section.
add() {
	sed -nE "s/^(ok|not ok)( [0-9]+)? -? ?/\1 - $1: /p" >> "$results"
}
fail() { echo "not ok - $1" | add setup; }

finish() {
	local n=0 pass fail_n
	echo "TAP version 13"
	while IFS= read -r line; do
		n=$((n + 1))
		case $line in
		"not ok"*) echo "not ok $n${line#not ok}" ;;
		*) echo "ok $n${line#ok}" ;;
		esac
	done < "$results"
	echo "1..$n"
	pass=$(grep -c '^ok' "$results")
	fail_n=$(grep -c '^not ok' "$results")
	echo "logs: ${out#"$TI_ROOT"/}"
	echo "$pass passed, $fail_n failed"
	[ "$fail_n" -eq 0 ] && [ "$pass" -gt 0 ]
	exit
}

say "unit tests"
"$TI_ROOT/tests/unit/run.sh" > "$out/unit.tap" 2>&1 || true
add unit < "$out/unit.tap"
grep -q '^ok' "$out/unit.tap" || fail "unit tests ran (see ${out#"$TI_ROOT"/}/unit.tap)"

say "fuzzing the parser for ${TI_FUZZ_SECONDS:-60} s (libFuzzer, ASan, UBSan)"
"$TI_ROOT/tests/fuzz/run.sh" "${TI_FUZZ_SECONDS:-60}" > "$out/fuzz.log" 2>&1
add parser < "$out/fuzz.log"
grep -qE '^(ok|not ok)' "$out/fuzz.log" || fail "fuzzing ran (see ${out#"$TI_ROOT"/}/fuzz.log)"

say "test kernel $ver"
if ! kdir=$("$TI_ROOT/tests/vm/build-kernel.sh" "$ver"); then
	fail "test kernel $ver builds"
	finish
fi
say "lint: checkpatch --strict and sparse"
if "$TI_ROOT/tests/lint.sh" "$ver" > "$out/lint.log" 2>&1; then
	echo "ok - checkpatch --strict and sparse are clean" | add lint
else
	echo "not ok - checkpatch --strict and sparse are clean (see ${out#"$TI_ROOT"/}/lint.log)" | add lint
fi
say "module, through dkms add/build/install"
if ! ko=$("$TI_ROOT/tests/vm/dkms-build.sh" "$kdir" "$out/dkms"); then
	fail "dkms builds and installs the module for $ver"
	finish
fi
echo "ok - dkms builds and installs the module for $ver" | add setup
"$TI_ROOT/tests/vm/initramfs.sh" "$kdir" "$ko" "$out/initrd.gz" || { fail "initramfs"; finish; }

# mkfs_img PATH SIZE: an empty ext4 filesystem image.
mkfs_img() {
	rm -f "$1"
	truncate -s "$2" "$1"
	mkfs.ext4 -q -F "$1" || fail "mkfs.ext4 $1"
}

want() { [ -z "${TI_BOOTS:-}" ] || [[ " $TI_BOOTS " == *" $1 "* ]]; }

# boot NAME TEST [qemu.sh options]: one guest boot, if TI_BOOTS wants it.
boot() {
	want "$1" || return 0
	run_boot "$@"
}
run_boot() {
	local name=$1 test=$2
	shift 2
	say "guest: $name"
	"$TI_ROOT/tests/vm/qemu.sh" "$kdir" "$out/initrd.gz" "$out/$name" "$test" "$@"
	add "$name" < "$out/$name/results.tap"
}

"$TI_ROOT/tests/vm/tpm.sh" "$out/tpm-main" || fail "swtpm provisioning"
truncate -s 64M "$out/main.img"
boot main main --tpm "$out/tpm-main" --disk "$out/main.img"

"$TI_ROOT/tests/vm/tpm.sh" "$out/tpm-mig" || fail "swtpm provisioning"
truncate -s 32M "$out/vol.img"
truncate -s 1M "$out/blob.img"
boot migrate-boot1 migrate1 --tpm "$out/tpm-mig" --disk "$out/vol.img" --disk "$out/blob.img"
boot migrate-boot2 migrate2 --tpm "$out/tpm-mig" --disk "$out/vol.img" --disk "$out/blob.img"

# Concurrency: a bounded run here; `make stress` runs the full 8 x 50.
"$TI_ROOT/tests/vm/tpm.sh" "$out/tpm-stress" || fail "swtpm provisioning"
boot stress stress --tpm "$out/tpm-stress" --append "ti_n=${TI_STRESS_N:-10}"

# Memory hygiene: the host makes the key, the guest imports it from a disk.
"$TI_ROOT/tests/vm/tpm.sh" "$out/tpm-mem" || fail "swtpm provisioning"
memkey=$(head -c 64 /dev/urandom | tohex)
printf 'import %s keyhandle=0x81000001\n' "$memkey" > "$out/mem.img"
truncate -s 64K "$out/mem.img"
boot memscan memscan --tpm "$out/tpm-mem" --disk "$out/mem.img" \
	--append init_on_free=1 --memscan "$memkey"
rm -f "$out/mem.img"

# Fault injection: every slab allocation of an import fails in turn.
"$TI_ROOT/tests/vm/tpm.sh" "$out/tpm-faults" || fail "swtpm provisioning"
boot faults faults --tpm "$out/tpm-faults" --append "ti_faults=${TI_FAULTS_MAX:-400}"

# TPM faults: swtpm killed mid-import, then restarted on the same state.
"$TI_ROOT/tests/vm/tpm.sh" "$out/tpm-fault" || fail "swtpm provisioning"
truncate -s 1M "$out/tf.img"
boot tpm-fault tpmfault --tpm "$out/tpm-fault" --disk "$out/tf.img" --kill-tpm
boot tpm-fault-reboot tpmfault2 --tpm "$out/tpm-fault" --disk "$out/tf.img"

truncate -s 16M "$out/nt.img"
boot no-trusted notrusted --disk "$out/nt.img"

# The audit trail through the kernel audit framework (audit=1).
"$TI_ROOT/tests/vm/tpm.sh" "$out/tpm-audit" || fail "swtpm provisioning"
boot audit audit --tpm "$out/tpm-audit" --append audit=1

# trusted-import-migrate: the tool, the field scenarios, power cuts
. "$TI_ROOT/tests/vm/boots-migrate.sh"

finish
