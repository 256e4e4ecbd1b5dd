#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot the test kernel once and run one guest test.
# Usage: qemu.sh KERNEL_DIR INITRD OUT_DIR TEST [--tpm STATE_DIR] [--tpm12]
#                [--disk IMG]... [--append KERNEL_ARGS] [--memscan KEY_HEX]
#                [--kill-tpm] [--stall-tpm] [--power-cut MARKER DELAY]
# --tpm12: the swtpm state is a TPM 1.2 one (tpm.sh --tpm12).
# TI_SWTPM_LOG_LEVEL sets swtpm's log level (OUT_DIR/swtpm.log; default 1).
# --kill-tpm: SIGKILL swtpm as soon as the guest writes TI-KILL-TPM.
# --stall-tpm: SIGSTOP swtpm each time the guest writes TI-STALL-TPM, SIGCONT
#   it on the next TI-RESUME-TPM: a TPM that is slow to answer, not gone.
# --power-cut: once the guest writes TI-POWERCUT-ARM, wait for MARKER on the
#   console, then DELAY seconds, then SIGKILL QEMU: the guest's page cache
#   and in-flight I/O are lost, as in a power cut. Such a run reports
#   "power cut at ..." instead of "the guest finished". A guest that writes
#   TI-POWERCUT-END before MARKER came is cut at once.
# Writes OUT_DIR/console.log (the kernel log), OUT_DIR/tap.log (the guest's
# TAP channel) and OUT_DIR/results.tap: the guest's results plus two of the
# host's own, "the guest finished" and "the kernel log is clean". QEMU's exit
# code means nothing (a panic and a poweroff both exit 0), so it is ignored.
# KERNEL_DIR/.ti-arch picks the machine (x86_64 when absent): x86_64 is the
# pc machine, console on ttyS0, TAP channel on ttyS1, tpm-tis; arm64 is the
# virt machine, console on the PL011 (ttyAMA0), TAP channel on a virtio
# console (hvc0, named to the guest by ti_tap=), tpm-tis-device. Disks are
# virtio-blk on PCI in the order given: /dev/vda, /dev/vdb, ...
# TI_ARM64_CPU sets the arm64 guest's -cpu (default cortex-a57).
# --memscan saves guest RAM from where the machine has it: physical 0 on
# pc, 1 GiB on virt (memscan.py, TI_VM_RAM_BASE).
# A kernel built without kmemleak gets ti_kmemleak=0 (guest/epilogue.sh).
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

kdir=$1 initrd=$2 out=$3 test=$4
shift 4
tpm="" tpm_ver=--tpm2 disks=() extra="" memkey="" kill_tpm=0 stall_tpm=0
pc_marker="" pc_delay=0
while [ $# -gt 0 ]; do
	case $1 in
	--tpm) tpm=$2; shift 2 ;;
	--tpm12) tpm_ver=""; shift ;;
	--disk) disks+=("$2"); shift 2 ;;
	--append) extra="$extra $2"; shift 2 ;;
	--memscan) memkey=$2; shift 2 ;;
	--kill-tpm) kill_tpm=1; shift ;;
	--stall-tpm) stall_tpm=1; shift ;;
	--power-cut) pc_marker=$2 pc_delay=$3; shift 3 ;;
	*) die "qemu.sh: unknown argument $1" ;;
	esac
done
timeout_s=${TI_VM_TIMEOUT:-900}

mkdir -p "$out"
: > "$out/console.log"
: > "$out/tap.log"
rm -f "$out/qemu.pid" "$out/powercut"
arch=$(kernel_arch "$kdir") image=arch/x86/boot/bzImage
[ -f "$kdir/.ti-image" ] && image=$(cat "$kdir/.ti-image")
common=(-smp 2 -m 1536 -nodefaults -display none -no-reboot
	-kernel "$kdir/$image" -initrd "$initrd")
cmdline="panic=-1 panic_on_warn=1 oops=panic"
# a kernel without kmemleak (lean): the guest's epilogue skips the leak check
if ! grep -qx 'CONFIG_DEBUG_KMEMLEAK=y' "$kdir/.config" &&
   [[ " $extra " != *" ti_kmemleak=0 "* ]]; then
	extra="$extra ti_kmemleak=0"
fi
case $arch in
x86_64)
	qemu=qemu-system-x86_64 tpm_dev=tpm-tis
	args=(-accel tcg -cpu max "${common[@]}"
		-append "console=ttyS0 $cmdline pci=noacpi ti_test=$test$extra"
		-serial "file:$out/console.log" -serial "file:$out/tap.log")
	for d in "${disks[@]}"; do
		args+=(-drive "file=$d,if=virtio,format=raw")
	done
	;;
arm64)
	# virt has flash and MMIO below 1 GiB, where its RAM starts
	ram_base=0x40000000
	# cortex-a57: a fixed ARMv8.0 model; under TCG the main boot takes as
	# long as with max,pauth-impdef=on (within the noise of a shared host)
	qemu=qemu-system-aarch64 tpm_dev=tpm-tis-device
	args=(-M virt -accel tcg -cpu "${TI_ARM64_CPU:-cortex-a57}" "${common[@]}"
		-append "console=ttyAMA0 $cmdline ti_test=$test ti_tap=hvc0$extra"
		-serial "file:$out/console.log"
		-device virtio-serial-pci -chardev "file,id=tap,path=$out/tap.log"
		-device virtconsole,chardev=tap)
	# explicit PCI devices: the order given is the probe order, vda first
	n=0
	for d in "${disks[@]}"; do
		args+=(-drive "file=$d,if=none,format=raw,id=disk$n"
			-device "virtio-blk-pci,drive=disk$n")
		n=$((n + 1))
	done
	;;
*) die "qemu.sh: unknown arch $arch in $kdir/.ti-arch" ;;
esac
args+=(-monitor "unix:$out/monitor.sock,server=on,wait=off" -pidfile "$out/qemu.pid")

swtpm_pid=""
if [ -n "$tpm" ]; then
	# a short socket path: unix sockets allow 108 bytes
	sock=$(mktemp -u /tmp/ti-swtpm.XXXXXX)
	swtpm socket $tpm_ver --tpmstate dir="$tpm" --ctrl type=unixio,path="$sock" \
		--log file="$out/swtpm.log",level="${TI_SWTPM_LOG_LEVEL:-1}" &
	swtpm_pid=$!
	for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
	args+=(-chardev "socket,id=chrtpm,path=$sock" -tpmdev emulator,id=tpm0,chardev=chrtpm
		-device "$tpm_dev,tpmdev=tpm0")
fi

scan_pid=""
if [ -n "$memkey" ]; then
	rm -f "$out/memscan.tap"
	TI_VM_TIMEOUT=$timeout_s TI_VM_RAM_BASE=${ram_base:-0} "$TI_ROOT/tests/vm/memscan.py" "$out/tap.log" \
		"$out/monitor.sock" "$memkey" "$out/ram.dump" "$out/memscan.tap" \
		2>"$out/memscan.log" &
	scan_pid=$!
fi
killer_pid=""
if [ "$kill_tpm" = 1 ] && [ -n "$swtpm_pid" ]; then
	(
		until grep -q TI-KILL-TPM "$out/tap.log" 2>/dev/null; do sleep 0.2; done
		sleep 0.3	# let the first import reach the TPM
		kill -KILL "$swtpm_pid"
	) &
	killer_pid=$!
fi
staller_pid=""
if [ "$stall_tpm" = 1 ] && [ -n "$swtpm_pid" ]; then
	(
		# the n-th stall marker stops it, the n-th resume marker resumes it
		seen() { [ "$(grep -cx "$1" "$out/tap.log" 2>/dev/null)" -ge "$2" ]; }
		n=1
		while :; do
			until seen TI-STALL-TPM $n; do sleep 0.1; done
			kill -STOP "$swtpm_pid"
			until seen TI-RESUME-TPM $n; do sleep 0.1; done
			kill -CONT "$swtpm_pid"
			n=$((n + 1))
		done
	) &
	staller_pid=$!
fi
cutter_pid=""
if [ -n "$pc_marker" ]; then
	(
		until grep -q TI-POWERCUT-ARM "$out/tap.log" 2>/dev/null; do sleep 0.1; done
		# only what the console says after the guest armed the cut counts
		from=$(($(stat -c %s "$out/console.log") + 1))
		at="$pc_marker +${pc_delay}s"
		until tail -c "+$from" "$out/console.log" | grep -qF -- "$pc_marker"; do
			if grep -q TI-POWERCUT-END "$out/tap.log"; then
				at="the end of the run ('$pc_marker' never came)"
				pc_delay=0
				break
			fi
			sleep 0.05
		done
		sleep "$pc_delay"
		echo "$at" > "$out/powercut"
		kill -KILL "$(cat "$out/qemu.pid")"
	) &
	cutter_pid=$!
fi
timeout -k 10 "$timeout_s" "$qemu" "${args[@]}" </dev/null >"$out/qemu.log" 2>&1 || true
if [ -n "$swtpm_pid" ]; then
	kill "$staller_pid" 2>/dev/null || true
	kill -CONT "$swtpm_pid" 2>/dev/null || true
	kill "$swtpm_pid" 2>/dev/null || true
	wait "$swtpm_pid" 2>/dev/null || true
	rm -f "$sock"
fi

# the watchers that are still waiting for their marker
for pid in $cutter_pid $killer_pid $staller_pid $scan_pid; do
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
done
rm -f "$out/ram.dump"

tr -d '\r' < "$out/tap.log" > "$out/tap.clean"
{
	grep -E '^(ok|not ok) ' "$out/tap.clean" || true
	if [ -n "$pc_marker" ]; then
		if [ -f "$out/powercut" ] && ! grep -qx 'TI-DONE' "$out/tap.clean"; then
			echo "ok - power cut at '$(cat "$out/powercut")'"
		else
			echo "not ok - power cut at '$pc_marker' +${pc_delay}s happened"
		fi
	elif grep -qx 'TI-DONE' "$out/tap.clean"; then
		echo "ok - guest finished"
	else
		echo "not ok - guest finished (timeout after ${timeout_s}s, panic or crash; see console.log)"
	fi
	if [ -n "$memkey" ]; then
		cat "$out/memscan.tap" 2>/dev/null || echo "not ok - memory scan ran"
	fi
	if bad=$("$TI_ROOT/tests/vm/check-log.sh" "$out/console.log"); then
		echo "ok - kernel log clean"
	else
		echo "not ok - kernel log clean: $(echo "$bad" | head -n 3 | tr '\n' '|')"
	fi
} > "$out/results.tap"
