#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build and install the module with DKMS, as a user would, against a test
# kernel tree, in private DKMS trees so that the host's own are untouched
# (depmod then runs when the guest's module tree is made, in initramfs.sh).
# Prints the installed module's path. Usage: dkms-build.sh KERNEL_DIR WORK_DIR
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

kdir=$1 work=$2
kver=$(cat "$kdir/.ti-kernelrelease")
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TI_ROOT/dkms.conf")
rm -rf "$work"
mkdir -p "$work/tree" "$work/install/$kver"
make -s -C "$TI_ROOT" dkms-src DKMS_SRC="$work/src/trusted-import-$version" >&2
dkms=(dkms --dkmstree "$work/tree" --sourcetree "$work/src" --installtree "$work/install")
"${dkms[@]}" add -m trusted-import -v "$version" >"$work/dkms.log" 2>&1
if ! "${dkms[@]}" build -m trusted-import -v "$version" -k "$kver" \
	--kernelsourcedir "$kdir" >>"$work/dkms.log" 2>&1 ||
   ! "${dkms[@]}" install --no-depmod -m trusted-import -v "$version" -k "$kver" \
	--kernelsourcedir "$kdir" >>"$work/dkms.log" 2>&1; then
	cat "$work/dkms.log" >&2
	find "$work/tree" -name make.log -exec cat {} + >&2 || true
	die "dkms build/install failed"
fi
ko=$(find "$work/install" -name 'trusted_import.ko*' | head -n 1)
[ -n "$ko" ] || { cat "$work/dkms.log" >&2; die "dkms installed no module"; }
echo "$ko"
