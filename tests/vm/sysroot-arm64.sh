#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An arm64 sysroot for the arm64 guest: Debian bookworm's arm64 packages of
# the guest's tools (busybox-static, keyctl, dmsetup, setpriv, blockdev,
# openssl), the libraries they need and libkeyutils-dev for cross-building
# trusted-import-migrate. Fetched through the private apt configuration
# (tests/lib/common.sh) and unpacked with dpkg-deb -x, so the system's apt
# sources and package set are never touched. Cached under $TI_CACHE, keyed
# by the package list. Prints the sysroot's path.
# Usage: sysroot-arm64.sh
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

# The library packages are named, not resolved from Depends: resolving
# would pull in all of Essential. initramfs.sh dies naming any library that
# this list lacks.
pkgs=(
	libc6 busybox-static
	keyutils libkeyutils1 libkeyutils-dev
	dmsetup libdevmapper1.02.1 libselinux1 libpcre2-8-0 libudev1
	util-linux libcap-ng0
	openssl libssl3
)

hash=$(printf '%s\n' "${pkgs[@]}" | cat - "$0" | sha256sum | cut -c1-12)
dir=$TI_CACHE/sysroot/arm64-bookworm-$hash
if [ -f "$dir/.ti-done" ]; then
	echo "$dir"
	exit 0
fi

private_apt_update
say "fetching the arm64 guest's packages into $dir (first run only)"
rm -rf "$dir.tmp"
mkdir -p "$dir.tmp/debs"
(cd "$dir.tmp/debs" && private_apt get download "${pkgs[@]/%/:arm64}" >&2) ||
	die "apt-get download of the arm64 packages failed"
for deb in "$dir.tmp"/debs/*.deb; do
	dpkg-deb -x "$deb" "$dir.tmp"
	dpkg-deb -W --showformat='${Package} ${Version}\n' "$deb" >> "$dir.tmp/.ti-packages"
done
rm -rf "$dir.tmp/debs"
touch "$dir.tmp/.ti-done"
rm -rf "$dir"
mv "$dir.tmp" "$dir"
echo "$dir"
