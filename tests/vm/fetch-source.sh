#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make Debian's linux-source-<version> tarball available and print
# "TARBALL PACKAGE_VERSION". An installed package is used as it is; any other
# version (bullseye's 5.10, trixie-backports' 7.3, ...) is fetched through a
# private apt configuration from the mirror the system already uses, into the
# cache. The system's own apt sources and package set are never touched.
# Usage: fetch-source.sh VERSION
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

ver=$1
pkg=linux-source-$ver
pkgver=$(source_pkg_version "$ver" || true)
if [ -n "$pkgver" ] && [ -f "/usr/src/$pkg.tar.xz" ]; then
	echo "/usr/src/$pkg.tar.xz $pkgver"
	exit 0
fi

src=$TI_CACHE/src
mkdir -p "$src"
# a tarball extracted on an earlier run: newest package version wins
for f in $(ls -1 "$src/$pkg"_*.tar.xz 2>/dev/null | sort -V -r || true); do
	v=${f##*/"$pkg"_}
	echo "$f ${v%.tar.xz}"
	exit 0
done

private_apt_update
say "fetching $pkg through a private apt configuration"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && private_apt get download "$pkg" >&2) || die "apt-get download $pkg failed"
deb=$(ls "$tmp"/*.deb)
pkgver=$(dpkg-deb -f "$deb" Version)
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" "./usr/src/$pkg.tar.xz"
mv "$tmp/usr/src/$pkg.tar.xz" "$src/${pkg}_$pkgver.tar.xz"
echo "$src/${pkg}_$pkgver.tar.xz $pkgver"
