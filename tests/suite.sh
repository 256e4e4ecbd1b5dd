#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# One kernel of the matrix: its test kernel, the module built by DKMS against
# it, and the guest boots in QEMU with swtpm. Writes OUT_DIR/all.tap (ok /
# not ok lines named by boot); tests/run.sh runs it for every kernel.
# Usage: tests/suite.sh VERSION ARCH VARIANT OUT_DIR
# TI_BOOTS="main stress" runs only those guest boots (default: all);
# TI_STRESS_N sets the imports per process of the stress boot (default 10).
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"

ver=$1 arch=$2 variant=$3 out=$4
rm -rf "$out"
mkdir -p "$out"
results=$out/all.tap
: > "$results"

# add SECTION < TAP: keep the ok / not ok lines, named by their section.
add() {
	sed -nE "s/^(ok|not ok)( [0-9]+)? -? ?/\1 - $1: /p" >> "$results"
}
fail() { echo "not ok - $1" | add setup; }
finish() { exit 0; }

say "test kernel $ver $arch ($variant)"
if ! kdir=$("$TI_ROOT/tests/vm/build-kernel.sh" "$ver" "$arch" "$variant"); then
	fail "test kernel $ver $arch builds"
	finish
fi
say "module, through dkms add/build/install"
if ! ko=$("$TI_ROOT/tests/vm/dkms-build.sh" "$kdir" "$out/dkms"); then
	fail "dkms builds and installs the module for $ver $arch"
	finish
fi
echo "ok - dkms builds and installs the module for $ver $arch" | add setup
# the compile probes must leave every supported kernel warning-free
log=$(find "$out/dkms/tree" -name make.log | head -n 1)
if [ -z "$log" ] || grep -iE 'warning|error' "$log" >&2; then
	fail "the module builds for $ver $arch without warnings (${log:-no make.log})"
else
	echo "ok - the module builds for $ver $arch without warnings" | add setup
fi
"$TI_ROOT/tests/vm/initramfs.sh" "$kdir" "$ko" "$out/initrd.gz" || { fail "initramfs"; finish; }

# mkfs_img PATH SIZE: an empty ext4 filesystem image.
mkfs_img() {
	rm -f "$1"
	truncate -s "$2" "$1"
	mkfs.ext4 -q -F "$1" || fail "mkfs.ext4 $1"
}

want() { [ -z "${TI_BOOTS:-}" ] || [[ " $TI_BOOTS " == *" $1 "* ]]; }
# skip_boots NAME WHY: this kernel cannot run NAME's boots; an error only
# when TI_BOOTS asked for them by name
skip_boots() {
	if [[ " ${TI_BOOTS:-} " == *" $1 "* ]]; then
		fail "$1 boots: $2"
	else
		say "$1 boots skipped: $2"
	fi
}

# boot NAME TEST [qemu.sh options]: one guest boot, if TI_BOOTS wants it.
boot() {
	want "$1" || return 0
	run_boot "$@"
}
# run_boot NAME TEST [qemu.sh options]: the boot, whatever TI_BOOTS says.
# boot_initrd=FILE boots another initramfs; boot_after=FUNC runs FUNC DIR
# on the boot's directory before its results are collected.
run_boot() {
	local name=$1 test=$2 t0=$SECONDS
	shift 2
	say "guest: $name"
	"$TI_ROOT/tests/vm/qemu.sh" "$kdir" "${boot_initrd:-$out/initrd.gz}" "$out/$name" "$test" "$@"
	[ -z "${boot_after:-}" ] || "$boot_after" "$out/$name"
	collect "$name"
	say "guest: $name took $((SECONDS - t0)) s"
}
# collect NAME: a boot's results; a boot that left none failed (qemu.sh
# itself broke), and says so rather than vanishing from the count
collect() {
	if [ -s "$out/$1/results.tap" ]; then
		add "$1" < "$out/$1/results.tap"
	else
		echo "not ok - the boot left no results (see ${out#"$TI_ROOT"/}/$1)" | add "$1"
	fi
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

# A local attacker: negative keys, request_key, import-key of keys the
# caller may not export, forged audit records, limits, races with rmmod.
"$TI_ROOT/tests/vm/tpm.sh" "$out/tpm-hostile" || fail "swtpm provisioning"
boot hostile hostile --tpm "$out/tpm-hostile" --stall-tpm

# Root under lockdown, raised at run time once the modules are loaded
"$TI_ROOT/tests/vm/tpm.sh" "$out/tpm-lockdown" || fail "swtpm provisioning"
boot lockdown lockdown --tpm "$out/tpm-lockdown"

# trusted-import-migrate: the tool, the field scenarios, power cuts
. "$TI_ROOT/tests/vm/boots-migrate.sh"
# the backends: TPM 1.2, TPM 2.0 options, TEE through the OP-TEE stand-in,
# CAAM and DCP without their hardware
for f in boots-backends.sh boots-tee.sh boots-hw.sh boots-legacy.sh; do
	[ -f "$TI_ROOT/tests/vm/$f" ] && . "$TI_ROOT/tests/vm/$f"
done

finish
