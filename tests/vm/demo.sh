#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: migrate a dm-crypt volume from a plaintext key to a TPM-sealed
# trusted key, across a reboot, in a VM with a software TPM, and tell the
# story as it goes. Usage: tests/vm/demo.sh [KERNEL_VERSION]
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

ver=${1:-$TI_KVER_DEFAULT}
out=$TI_ROOT/build/demo
rm -rf "$out"
mkdir -p "$out"

chapter() { printf '\n\033[1m%s\033[0m\n' "$*"; }
# Show the guest's story lines and results live, as it writes them.
narrate() {
	"$TI_ROOT/tests/vm/qemu.sh" "$kdir" "$out/initrd.gz" "$out/$1" "$2" \
		--tpm "$out/tpm" --disk "$out/vol.img" --disk "$out/blob.img" &
	local pid=$!
	sleep 1
	tail -F -s 0.5 --pid=$pid "$out/$1/tap.log" 2>/dev/null | tr -d '\r' |
		sed -u -n -e 's/^# story: /  - /p' -e 's/^ok - /    ok: /p' -e 's/^not ok - /    FAILED: /p'
	wait $pid
	if grep -q '^not ok' "$out/$1/results.tap"; then
		grep '^not ok' "$out/$1/results.tap" >&2
		die "$1 failed; the guest's kernel log is in ${out#"$TI_ROOT"/}/$1/console.log"
	fi
}

chapter "1. A test kernel with trusted keys (Debian's linux-source-$ver, cached after the first build)"
kdir=$("$TI_ROOT/tests/vm/build-kernel.sh" "$ver")
echo "  kernel $(cat "$kdir/.ti-kernelrelease"): TPM TIS, trusted keys, dm-crypt, KASAN, kmemleak, lockdep"

chapter "2. trusted-import built and installed by DKMS for that kernel"
ko=$("$TI_ROOT/tests/vm/dkms-build.sh" "$kdir" "$out/dkms")
echo "  $(modinfo -F version "$ko" | sed 's/^/version /'), $(basename "$ko")"
"$TI_ROOT/tests/vm/initramfs.sh" "$kdir" "$ko" "$out/initrd.gz"

chapter "3. A software TPM 2.0 (swtpm), provisioned like a device: storage key 0x81000001"
"$TI_ROOT/tests/vm/tpm.sh" "$out/tpm"
truncate -s 32M "$out/vol.img"
truncate -s 1M "$out/blob.img"
echo "  TPM state in ${out#"$TI_ROOT"/}/tpm; disks: a 32 MiB volume and a 1 MiB disk for the blob"

chapter "4. First boot: the device as shipped, then the one-time import"
narrate boot1 migrate1

chapter "5. Second boot: a new VM, the same TPM, only the stock trusted type"
narrate boot2 migrate2

chapter "Done: the volume written under the plaintext key opens with the TPM-sealed key after a reboot."
echo "Kernel logs: ${out#"$TI_ROOT"/}/boot1/console.log and boot2/console.log (KASAN, kmemleak and lockdep clean)."
