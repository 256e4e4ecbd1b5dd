# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the host-side test scripts. Sourced, never run.

TI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Kernel builds are cached outside the repo; a missing cache only costs time.
TI_CACHE=${TI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/trusted-import}
TI_KVER_DEFAULT=6.12

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Hex of what comes in on stdin, in one line.
tohex() { od -An -v -tx1 | tr -d ' \n'; }

# Run as root, through sudo when we are not.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The Debian package version of linux-source-$1, or nothing.
source_pkg_version() {
	dpkg-query -W -f='${Status} ${Version}\n' "linux-source-$1" 2>/dev/null |
		awk '$3 == "installed" { print $4 }'
}

# Directory of the cached kernel build for version $1 (e.g. 6.12): keyed by
# the source package version and a hash of the config fragment and the
# build script, so any change to either builds afresh.
kernel_dir() {
	local ver=$1 pkgver hash
	pkgver=$(source_pkg_version "$ver")
	[ -n "$pkgver" ] || die "linux-source-$ver is not installed (run tests/deps.sh)"
	hash=$(cat "$TI_ROOT/tests/vm/kernel.config" "$TI_ROOT/tests/vm/build-kernel.sh" |
		sha256sum | cut -c1-12)
	printf '%s/kernel/%s-x86_64-%s\n' "$TI_CACHE" "$pkgver" "$hash"
}
