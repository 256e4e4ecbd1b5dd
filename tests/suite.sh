#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# One kernel of the matrix: its test kernel, the module built by DKMS against
# it, and the guest boots of tests/boots.conf in QEMU with swtpm. Writes
# OUT_DIR/all.tap (ok / not ok lines named by boot); tests/run.sh runs it
# for every kernel.
# Usage: tests/suite.sh VERSION ARCH VARIANT OUT_DIR
# TI_BOOTS="main stress" runs only those boots or groups (default: all; an
# unknown name is an error); TI_STRESS_N sets the imports per process of
# the stress boot (default 10), TI_FAULTS_MAX the faults boot's largest n
# (400), TI_POWERCUTS the power cuts (5).
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$TI_ROOT/tests/lib/tap.sh"
. "$TI_ROOT/tests/lib/boots.sh"
. "$TI_ROOT/tests/vm/boot-hooks.sh"
: "${TI_STRESS_N:=10}" "${TI_FAULTS_MAX:=400}" "${TI_POWERCUTS:=5}"

ver=$1 arch=$2 variant=$3 out=$4
rm -rf "$out"
mkdir -p "$out"
results=$out/all.tap
: > "$results"
finish() { exit 0; }

# shellcheck disable=SC2086 # TI_BOOTS is a list of words
if ! bad=$(boot_unknown ${TI_BOOTS:-}); then
	fail "TI_BOOTS names no boot: $bad (valid: $(boot_names | paste -sd ' '))"
	finish
fi

say "test kernel $ver $arch ($variant)"
if ! kdir=$("$TI_ROOT/tests/vm/build-kernel.sh" "$ver" "$arch" "$variant"); then
	fail "test kernel $ver $arch builds"
	finish
fi
krel=$(cat "$kdir/.ti-kernelrelease")
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
# what the compile probes chose for TPM 2.0 (boots.conf: tpm2_sealer=)
tpm2_sealer=$("$(command -v modinfo || echo /sbin/modinfo)" -F tpm2_sealer "$ko" 2>/dev/null)

# boot_missing BOOT: what this kernel lacks of BOOT's NEEDS column, as the
# reason of a skip; fails when it lacks nothing
boot_missing() {
	local need
	[ "${BOOT_NEEDS[$1]}" = - ] && return 1
	for need in ${BOOT_NEEDS[$1]//,/ }; do
		case $need in
		CONFIG_*)
			grep -qxE "$need=[ym]" "$kdir/.config" && continue
			echo "needs $need, which $krel is built without"
			return 0 ;;
		tpm2_sealer=*)
			[ "${need#*=}" = "$tpm2_sealer" ] && continue
			echo "needs the module to seal TPM 2.0 with ${need#*=} code (it uses ${tpm2_sealer:-no tpm2_sealer tag} on $krel)"
			return 0 ;;
		*)
			echo "tests/boots.conf: unknown need '$need'"
			return 0 ;;
		esac
	done
	return 1
}

# tpm_state KIND:STATE: the state directory in $tpm, provisioned at its
# first use (not in a subshell: tpm_made must remember it)
declare -A tpm_made
tpm_state() {
	local kind=${1%%:*} dir=$out/tpm-${1#*:} flag=
	tpm=$dir
	if [ -z "${tpm_made[$dir]:-}" ]; then
		case $kind in
		tpm2) ;;
		tpm2-authparent) flag=--auth-parent ;;
		tpm12) flag=--tpm12 ;;
		*) fail "tests/boots.conf: unknown TPM kind $kind"; return 1 ;;
		esac
		"$TI_ROOT/tests/vm/tpm.sh" "$dir" $flag ||
			{ fail "swtpm provisioning ($1)"; return 1; }
		tpm_made[$dir]=1
	fi
}

# disk_image NAME[:SIZE[:ext4]|:hook]: the image, made at its first mention
disk_image() {
	local name=${1%%:*} spec= img
	[[ $1 == *:* ]] && spec=${1#*:}
	img=$out/$name.img
	case $spec in
	''|hook)
		[ -e "$img" ] || { fail "disk $name: not made (tests/boots.conf)"; return 1; } ;;
	*:ext4)
		[ -e "$img" ] || { truncate -s "${spec%:ext4}" "$img" && mkfs.ext4 -q -F "$img"; } ||
			{ fail "mkfs.ext4 $name"; return 1; } ;;
	*)
		[ -e "$img" ] || truncate -s "$spec" "$img" ;;
	esac
	echo "$img"
}

# run_boot NAME TEST [qemu.sh options]: one guest boot. Set by the caller:
# boot_initrd=FILE boots another initramfs, known_warns=1 redoes the log
# check without the TPM 1.2 WARNs, after_hook=HOOK runs hook_HOOK_after.
run_boot() {
	local name=$1 test=$2 t0=$SECONDS
	shift 2
	say "guest: $name"
	"$TI_ROOT/tests/vm/qemu.sh" "$kdir" "${boot_initrd:-$out/initrd.gz}" "$out/$name" "$test" "$@"
	[ -z "${known_warns:-}" ] || tpm12_log_check "$name" "$out/$name"
	[ -z "${after_hook:-}" ] || "hook_${after_hook}_after" "$name" "$out/$name"
	collect "$name"
	say "guest: $name took $((SECONDS - t0)) s"
	echo "$name $((SECONDS - t0))" >> "$out/boot-seconds"
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

# registry_boot BOOT [AS [qemu.sh options]]: BOOT's line of tests/boots.conf
# run once, its results named AS (default BOOT), with its TPM, disks,
# options and hooks
registry_boot() {
	local b=$1 as=${2:-$1} hook=${BOOT_HOOK[$1]} d o v tpm
	shift 2 2>/dev/null || shift
	local boot_opts=() boot_initrd= known_warns= after_hook=
	# make check's budget (run.sh): past it, no boot starts
	if [ -n "${TI_DEADLINE:-}" ] && [ "$(date +%s)" -ge "$TI_DEADLINE" ]; then
		say "$as skipped: past make check's ${TI_BUDGET_MIN:-45}-minute budget"
		skip "$as" "past make check's ${TI_BUDGET_MIN:-45}-minute budget"
		return 0
	fi
	if [ "${BOOT_TPM[$b]}" != - ]; then
		tpm_state "${BOOT_TPM[$b]}" || return 0
		boot_opts+=(--tpm "$tpm")
		if [ "${BOOT_TPM[$b]%%:*}" = tpm12 ]; then
			boot_opts+=(--tpm12)
			if tpm12_warns; then
				say "$as: panic_on_warn=0 (tpm_buf_reset() WARNs on TPM 1.2 seal and unseal)"
				boot_opts+=(--append panic_on_warn=0)
				known_warns=1
			fi
		fi
	fi
	if [ "$hook" != - ]; then
		if declare -F "hook_${hook}_before" >/dev/null; then
			"hook_${hook}_before" "$b" || return 0
		fi
		declare -F "hook_${hook}_after" >/dev/null && after_hook=$hook
	fi
	if [ "${BOOT_DISKS[$b]}" != - ]; then
		for d in ${BOOT_DISKS[$b]//,/ }; do
			d=$(disk_image "$d") || return 0
			boot_opts+=(--disk "$d")
		done
	fi
	if [ "${BOOT_OPTS[$b]}" != - ]; then
		for o in ${BOOT_OPTS[$b]//,/ }; do
			v=
			[[ $o == *=* ]] && v=${o#*=} o=${o%%=*}
			# a trailing $NAME is the host variable NAME
			[[ $v == *'$'* ]] && { d=${v#*\$}; v=${v%%\$*}${!d}; }
			boot_opts+=("$o")
			[ -z "$v" ] || boot_opts+=("$v")
		done
	fi
	run_boot "$as" "${BOOT_GUEST[$b]}" "${boot_opts[@]}" "$@"
}

# Every boot TI_BOOTS wants, in the registry's order: skipped, with the
# reason, when the kernel lacks what it needs
for b in "${BOOTS[@]}"; do
	boot_wanted "$b" "${TI_BOOTS:-}" || continue
	if why=$(boot_missing "$b"); then
		say "$b skipped: $why"
		skip "$b" "$why"
	elif [ "${BOOT_HOOK[$b]}" != - ] && declare -F "hook_${BOOT_HOOK[$b]}_run" >/dev/null; then
		"hook_${BOOT_HOOK[$b]}_run" "$b"
	else
		registry_boot "$b"
	fi
done

finish
