#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the guest's initramfs: busybox-static, the real keyctl, dmsetup and
# setpriv with their libraries, the test kernel's modules plus the module
# DKMS built, and the guest test scripts.
# Usage: initramfs.sh KERNEL_DIR MODULE_KO OUT_CPIO_GZ
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

kdir=$1 ko=$2 out=$3
kver=$(cat "$kdir/.ti-kernelrelease")
root=$(mktemp -d)
chmod 755 "$root"	# mktemp makes it 0700: uid 1000 in the guest must get in
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc,ti,lib/modules}
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"

# Dynamic tools as Debian ships them, with what ldd says they need.
for tool in keyctl dmsetup setpriv blockdev openssl; do
	path=$(command -v "$tool") || die "$tool not found (run tests/deps.sh)"
	path=$(readlink -f "$path")
	mkdir -p "$root$(dirname "$path")"
	cp "$path" "$root$path"
	ldd "$path" | grep -o '/[^ ]*' | while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
done

cp -a "$kdir/.ti-modroot/lib/modules/$kver" "$root/lib/modules/"
rm -f "$root/lib/modules/$kver/build" "$root/lib/modules/$kver/source"
mkdir -p "$root/lib/modules/$kver/updates/dkms"
cp "$ko" "$root/lib/modules/$kver/updates/dkms/"
depmod -b "$root" "$kver"

# guest-side test tools of our own, static so they need no libraries
for src in "$TI_ROOT"/tests/vm/tools/*.c; do
	gcc -static -O2 -Wall -Wextra -Werror -o "$root/ti/$(basename "$src" .c)" "$src"
done

# the field tool, built static the way tools/Makefile builds it for a device
if [ -f "$TI_ROOT/tools/Makefile" ]; then
	tbuild=$(mktemp -d)
	make -s -C "$TI_ROOT/tools" O="$tbuild" LDFLAGS=-static >&2
	install -m 0755 "$tbuild/trusted-import-migrate" "$root/usr/sbin/"
	rm -rf "$tbuild"
fi
install -m 0755 "$TI_ROOT/tools/trusted-import-rewrap" "$root/usr/sbin/"
# the boot script's init-script flavour runs in the guest; systemd does not
if [ -f "$TI_ROOT/tools/boot/trusted-import-migrate-once" ]; then
	install -D -m 0755 "$TI_ROOT/tools/boot/trusted-import-migrate-once" \
		"$root/usr/libexec/trusted-import/migrate-once"
fi

cp "$TI_ROOT/tests/vm/guest/init" "$root/init"
chmod +x "$root/init"
cp "$TI_ROOT"/tests/vm/guest/*.sh "$root/ti/"

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out"
