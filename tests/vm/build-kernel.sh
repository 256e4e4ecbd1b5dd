#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (or reuse) a test kernel from Debian's linux-source-<version>:
# tinyconfig + kernel.config + kernel-<arch>.config + the variant's
# fragments (kernel_fragments, tests/lib/common.sh). arm64 is cross-built
# with Debian's gcc-aarch64-linux-gnu. Prints the cached tree's path.
# Usage: build-kernel.sh [VERSION [ARCH [VARIANT]]]   (6.12 x86_64 full)
# VARIANT: full, lean, lean+hwkeys
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

ver=${1:-$TI_KVER_DEFAULT} arch=${2:-x86_64} variant=${3:-full}
read -r tarball pkgver < <("$TI_ROOT/tests/vm/fetch-source.sh" "$ver") ||
	die "no source for linux-$ver"
kernel_fragments "$arch" "$variant" >/dev/null # dies on an unknown variant
mapfile -t frags < <(kernel_fragments "$arch" "$variant")
dir=$(kernel_dir "$pkgver" "$arch" "$variant")
# one build per tree: a second caller (tests/run.sh builds the next kernels
# ahead, in the background) waits here, then finds the tree done
mkdir -p "${dir%/*}"
exec 9>"$dir.lock"
flock 9
if [ -f "$dir/.ti-done" ]; then
	echo "$dir"
	exit 0
fi
case $arch in
x86_64) kmake=(make -s ARCH=x86_64) image=arch/x86/boot/bzImage ;;
arm64)	kmake=(make -s ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
	image=arch/arm64/boot/Image ;;
*) die "unknown arch $arch" ;;
esac

say "building test kernel $ver ($pkgver, $arch, $variant) into $dir (first run only)"
rm -rf "$dir.tmp"
mkdir -p "$dir.tmp"
tar -xf "$tarball" -C "$dir.tmp" --strip-components=1
cd "$dir.tmp"
"${kmake[@]}" tinyconfig >/dev/null
ARCH=${kmake[2]#ARCH=} scripts/kconfig/merge_config.sh -m .config "${frags[@]}" >/dev/null
"${kmake[@]}" olddefconfig >/dev/null
# A symbol that Kconfig silently dropped would make every later result lie;
# one this version does not define at all is simply not there to ask for.
grep -rhoE --include='Kconfig*' '^[[:space:]]*(menu)?config [A-Z0-9_]+' . |
	awk '{ print "CONFIG_" $2 }' | sort -u > .ti-symbols
bad=0
while IFS= read -r line; do
	case $line in CONFIG_*=n) want="# ${line%=n} is not set" ;; CONFIG_*) want=$line ;; *) continue ;; esac
	sym=${line%%=*}
	grep -qxF "$sym" .ti-symbols || continue
	# "=n" is also met by a symbol a dependency hides: it is off
	case $line in *=n) grep -qE "^$sym=" .config || continue ;; esac
	if ! grep -qxF -- "$want" .config; then
		echo "kernel config: wanted '$line', got '$(grep -E "(^|# )$sym[= ]" .config || echo unset)'" >&2
		bad=1
	fi
done < <(cat "${frags[@]}")
[ "$bad" -eq 0 ] || die "config fragment not satisfied"
if ! "${kmake[@]}" -j"$(nproc)" "${image##*/}" modules > .ti-build.log 2>&1; then
	tail -n 40 .ti-build.log >&2
	die "kernel build failed; the log is in $dir.tmp/.ti-build.log"
fi
"${kmake[@]}" INSTALL_MOD_PATH="$PWD/.ti-modroot" modules_install >/dev/null
"${kmake[@]}" kernelrelease > .ti-kernelrelease
echo "$arch" > .ti-arch
echo "$image" > .ti-image
echo "$ver" > .ti-version
touch .ti-done
cd /
rm -rf "$dir"
mv "$dir.tmp" "$dir"
echo "$dir"
