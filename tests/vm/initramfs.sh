#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the guest's initramfs: busybox-static, the real keyctl, dmsetup and
# setpriv with their libraries, the test kernel's modules plus the module
# DKMS built, and the guest test scripts. The kernel tree's .ti-arch says
# which architecture (x86_64 when absent): an x86_64 guest gets the host's
# own binaries, an arm64 guest Debian's arm64 ones (tests/vm/sysroot-arm64.sh)
# and cross-compiled static tools.
# Usage: initramfs.sh KERNEL_DIR MODULE_KO OUT_CPIO_GZ [EXTRA_KO...]
# Each EXTRA_KO (a test-only module) goes to lib/modules/<kver>/extra/.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

kdir=$1 ko=$2 out=$3
shift 3
kver=$(cat "$kdir/.ti-kernelrelease")
arch=$(kernel_arch "$kdir")
case $arch in
x86_64) cc=gcc ;;
arm64)	cc=aarch64-linux-gnu-gcc
	command -v "$cc" >/dev/null || die "$cc not found (run tests/deps.sh)"
	sysroot=$("$TI_ROOT/tests/vm/sysroot-arm64.sh") ;;
*) die "initramfs.sh: unknown arch $arch" ;;
esac
root=$(mktemp -d)
chmod 755 "$root"	# mktemp makes it 0700: uid 1000 in the guest must get in
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc,ti,lib/modules}

# sysroot_file PATH: PATH (absolute, as in the guest) inside the sysroot,
# with its symlinks followed there and not on the host.
sysroot_file() {
	local p=$1 t n=0
	while [ -L "$sysroot$p" ]; do
		t=$(readlink "$sysroot$p")
		case $t in /*) p=$t ;; *) p=$(dirname "$p")/$t ;; esac
		n=$((n + 1))
		[ "$n" -lt 20 ] || die "symlink loop at $1 in $sysroot"
	done
	[ -f "$sysroot$p" ] || return 1
	echo "$sysroot$p"
}

# sysroot_libs ELF: copy ELF's interpreter and the libraries it needs,
# recursively, from the sysroot to the same paths in the initramfs. ldd
# cannot run a foreign binary, so readelf names them.
sysroot_libs() {
	local interp lib dir src
	interp=$(readelf -lW "$1" | sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p')
	if [ -n "$interp" ] && [ ! -e "$root$interp" ]; then
		src=$(sysroot_file "$interp") || die "$interp (for $1) not in $sysroot"
		install -D -m 0755 "$src" "$root$interp"
	fi
	for lib in $(readelf -dW "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
		src=""
		for dir in /lib/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu; do
			[ -e "$root$dir/$lib" ] && continue 2
			src=$(sysroot_file "$dir/$lib") && break
		done
		[ -n "$src" ] || die "$lib (for $1) not in $sysroot: add its package to tests/vm/sysroot-arm64.sh"
		install -D -m 0755 "$src" "$root$dir/$lib"
		sysroot_libs "$src"
	done
}

if [ "$arch" = x86_64 ]; then
	cp /bin/busybox "$root/bin/busybox"
else
	cp "$sysroot/bin/busybox" "$root/bin/busybox"
fi
ln -s busybox "$root/bin/sh"

# Dynamic tools as Debian ships them, with the libraries they need.
for tool in keyctl request-key dmsetup setpriv blockdev openssl; do
	if [ "$arch" = x86_64 ]; then
		path=$(command -v "$tool") || die "$tool not found (run tests/deps.sh)"
		path=$(readlink -f "$path")
		mkdir -p "$root$(dirname "$path")"
		cp "$path" "$root$path"
		ldd "$path" | grep -o '/[^ ]*' | while read -r lib; do
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
		continue
	fi
	# the same place as on a merged-/usr host: /usr/bin/setpriv, ...
	path=""
	for d in /usr/bin /usr/sbin /bin /sbin; do
		[ -f "$sysroot$d/$tool" ] && path=$d/$tool && break
	done
	[ -n "$path" ] || die "$tool not in $sysroot"
	install -D -m 0755 "$sysroot$path" "$root/usr/${path#/usr/}"
	sysroot_libs "$sysroot$path"
done

cp -a "$kdir/.ti-modroot/lib/modules/$kver" "$root/lib/modules/"
rm -f "$root/lib/modules/$kver/build" "$root/lib/modules/$kver/source"
mkdir -p "$root/lib/modules/$kver/updates/dkms"
cp "$ko" "$root/lib/modules/$kver/updates/dkms/"
if [ $# -gt 0 ]; then
	mkdir -p "$root/lib/modules/$kver/extra"
	cp "$@" "$root/lib/modules/$kver/extra/"
fi
depmod -b "$root" "$kver"

# guest-side test tools of our own, static so they need no libraries
for src in "$TI_ROOT"/tests/vm/tools/*.c; do
	"$cc" -static -O2 -Wall -Wextra -Werror -o "$root/ti/$(basename "$src" .c)" "$src"
done

# the field tool, built static the way tools/Makefile builds it for a device
if [ -f "$TI_ROOT/tools/Makefile" ]; then
	tbuild=$(mktemp -d)
	if [ "$arch" = x86_64 ]; then
		make -s -C "$TI_ROOT/tools" O="$tbuild" LDFLAGS=-static >&2
	else
		# keyutils.h and libkeyutils.a from the sysroot's libkeyutils-dev
		# (a cross gcc honours CPATH but ignores LIBRARY_PATH)
		CPATH=$sysroot/usr/include make -s -C "$TI_ROOT/tools" O="$tbuild" CC="$cc" \
			LDFLAGS="-static -L$sysroot/usr/lib/aarch64-linux-gnu" >&2
	fi
	install -m 0755 "$tbuild/trusted-import-migrate" "$root/usr/sbin/"
	rm -rf "$tbuild"
fi
# the boot script's init-script flavour runs in the guest; systemd does not
if [ -f "$TI_ROOT/tools/boot/trusted-import-migrate-once" ]; then
	install -D -m 0755 "$TI_ROOT/tools/boot/trusted-import-migrate-once" \
		"$root/usr/libexec/trusted-import/migrate-once"
fi

cp "$TI_ROOT/tests/vm/guest/init" "$root/init"
chmod +x "$root/init"
cp "$TI_ROOT"/tests/vm/guest/*.sh "$root/ti/"

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out"
