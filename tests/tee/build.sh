#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the TEST-ONLY OP-TEE stand-in (optee_double.ko) against a test
# kernel tree, in OUT_DIR, and print the module's path.
# Usage: tests/tee/build.sh KERNEL_DIR OUT_DIR
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

[ $# -eq 2 ] || die "usage: build.sh KERNEL_DIR OUT_DIR"
kdir=$1 out=$2
grep -qx 'CONFIG_TEE=y' "$kdir/.config" ||
	die "$kdir has no CONFIG_TEE=y: the TEE backend cannot be tested there"
case $(kernel_arch "$kdir") in
x86_64) kmake=(make -s ARCH=x86_64) ;;
arm64) kmake=(make -s ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-) ;;
*) die "unknown arch in $kdir/.ti-arch" ;;
esac
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
cp "$TI_ROOT/tests/tee/Kbuild" "$TI_ROOT/tests/tee/optee_double.c" "$out/"
if ! "${kmake[@]}" -C "$kdir" M="$out" modules > "$out/build.log" 2>&1; then
	cat "$out/build.log" >&2
	die "optee_double failed to build against $kdir"
fi
echo "$out/optee_double.ko"
