#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (or reuse) the test kernel for one version from Debian's
# linux-source-<version> package: tinyconfig + tests/vm/kernel.config.
# Prints the cached tree's path. Usage: build-kernel.sh [6.12]
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

ver=${1:-$TI_KVER_DEFAULT}
dir=$(kernel_dir "$ver")
if [ -f "$dir/.ti-done" ]; then
	echo "$dir"
	exit 0
fi

tarball=/usr/src/linux-source-$ver.tar.xz
[ -f "$tarball" ] || die "$tarball missing (run tests/deps.sh)"
say "building test kernel $ver into $dir (first run only; ~10 min on 2 cores)"
rm -rf "$dir.tmp"
mkdir -p "$dir.tmp"
tar -xf "$tarball" -C "$dir.tmp" --strip-components=1
cd "$dir.tmp"
make -s ARCH=x86_64 tinyconfig >/dev/null
scripts/kconfig/merge_config.sh -m .config "$TI_ROOT/tests/vm/kernel.config" >/dev/null
make -s ARCH=x86_64 olddefconfig >/dev/null
# A symbol that Kconfig silently dropped would make every later result lie.
bad=0
while IFS= read -r line; do
	case $line in CONFIG_*=n) want="# ${line%=n} is not set" ;; CONFIG_*) want=$line ;; *) continue ;; esac
	if ! grep -qxF -- "$want" .config; then
		echo "kernel config: wanted '$line', got '$(grep -E "(^|# )${line%%=*}[= ]" .config || echo unset)'" >&2
		bad=1
	fi
done < "$TI_ROOT/tests/vm/kernel.config"
[ "$bad" -eq 0 ] || die "config fragment not satisfied"
if ! make -s ARCH=x86_64 -j"$(nproc)" bzImage modules > .ti-build.log 2>&1; then
	tail -n 40 .ti-build.log >&2
	die "kernel build failed; the log is in $dir.tmp/.ti-build.log"
fi
make -s ARCH=x86_64 INSTALL_MOD_PATH="$PWD/.ti-modroot" modules_install >/dev/null
make -s kernelrelease > .ti-kernelrelease
touch .ti-done
cd /
rm -rf "$dir"
mv "$dir.tmp" "$dir"
echo "$dir"
