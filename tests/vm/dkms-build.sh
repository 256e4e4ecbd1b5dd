#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build and install the module with DKMS, as a user would, against a test
# kernel tree, in private DKMS trees so that the host's own are untouched
# (depmod then runs when the guest's module tree is made, in initramfs.sh).
# An arm64 tree (KERNEL_DIR/.ti-arch) is cross-built: DKMS 3.0.10 only uses
# its -a for its own bookkeeping and runs make with the environment it got,
# so Kbuild takes ARCH and CROSS_COMPILE from there.
# Prints the installed module's path. Usage: dkms-build.sh KERNEL_DIR WORK_DIR
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

kdir=$1
# absolute: dkms links its tree to the sources by this path
work=$(realpath -m "$2")
kver=$(cat "$kdir/.ti-kernelrelease")
arch=$(kernel_arch "$kdir")
case $arch in
x86_64) ;;
arm64) export ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- ;;
*) die "dkms-build.sh: unknown arch $arch" ;;
esac
version=$(sh "$TI_ROOT/compat/version.sh" "$TI_ROOT/dkms.conf")
rm -rf "$work"
mkdir -p "$work/tree" "$work/install/$kver"
make -s -C "$TI_ROOT" dkms-src DKMS_SRC="$work/src/trusted-import-$version" >&2
dkms=(dkms --dkmstree "$work/tree" --sourcetree "$work/src" --installtree "$work/install")
"${dkms[@]}" add -m trusted-import -v "$version" >"$work/dkms.log" 2>&1
if ! "${dkms[@]}" build -m trusted-import -v "$version" -k "$kver" -a "$arch" \
	--kernelsourcedir "$kdir" >>"$work/dkms.log" 2>&1 ||
   ! "${dkms[@]}" install --no-depmod -m trusted-import -v "$version" -k "$kver" -a "$arch" \
	--kernelsourcedir "$kdir" >>"$work/dkms.log" 2>&1; then
	cat "$work/dkms.log" >&2
	find "$work/tree" -name make.log -exec cat {} + >&2 || true
	die "dkms build/install failed"
fi
ko=$(find "$work/install" -name 'trusted_import.ko*' | head -n 1)
[ -n "$ko" ] || { cat "$work/dkms.log" >&2; die "dkms installed no module"; }
echo "$ko"
