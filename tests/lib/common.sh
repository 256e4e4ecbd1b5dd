# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the host-side test scripts. Sourced, never run.

TI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Kernel builds are cached outside the repo; a missing cache only costs time.
TI_CACHE=${TI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/trusted-import}
# The default kernel: the first line of tests/matrix.conf (VERSION ARCH
# VARIANT), which make check-quick, lint and the demo use.
read -r TI_KVER_DEFAULT TI_ARCH_DEFAULT TI_VARIANT_DEFAULT _ < <(grep -vE '^[[:space:]]*(#|$)' "$TI_ROOT/tests/matrix.conf" | head -n 1)
# The host and the guest agree on these (the TPM's key handles and
# secrets, errno strings).
. "$TI_ROOT/tests/vm/guest/facts.sh"
# A sign of trouble in a guest's kernel log (tests/vm/check-log.sh).
TI_LOG_TROUBLE='BUG:|WARNING:|KASAN|Oops|suspected memory leak|unreferenced object|Call Trace|Kernel panic|INFO: |general protection fault'

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

# The config fragments of a test kernel: ARCH, and VARIANT full or lean,
# optionally with extras after a "+" (lean+hwkeys): each part P adds
# kernel-P.config and kernel-P-ARCH.config, whichever exist.
kernel_fragments() {
	local d=$TI_ROOT/tests/vm part f n
	printf '%s\n' "$d/kernel.config" "$d/kernel-$1.config"
	for part in ${2//+/ }; do
		n=0
		for f in "$d/kernel-$part.config" "$d/kernel-$part-$1.config"; do
			[ -f "$f" ] && echo "$f" && n=$((n + 1))
		done
		[ $n -gt 0 ] || die "no config fragment for variant part '$part' ($1)"
	done
}

# kernel_arch KERNEL_DIR: the arch a test kernel tree was built for
# (build-kernel.sh writes .ti-arch; x86_64 for a tree without one).
kernel_arch() {
	cat "$1/.ti-arch" 2>/dev/null || echo x86_64
}

# Directory of the cached kernel build: keyed by the source package version,
# the arch, the variant and a hash of the config fragments, the build
# script and the tools whose versions Kbuild records in the tree and checks
# again for every module built against it (the compiler, pahole), so any
# change to one of them builds afresh rather than making DKMS warn.
kernel_dir() {
	local pkgver=$1 arch=$2 variant=$3 cc=gcc hash
	[ "$arch" = arm64 ] && cc=aarch64-linux-gnu-gcc
	hash=$({
		kernel_fragments "$arch" "$variant" |
			xargs cat "$TI_ROOT/tests/vm/build-kernel.sh"
		"$cc" --version 2>/dev/null | sed -n 1p
		pahole --version 2>/dev/null || echo "no pahole"
	} | sha256sum | cut -c1-12)
	printf '%s/kernel/%s-%s-%s-%s\n' "$TI_CACHE" "$pkgver" "$arch" "$variant" "$hash"
}

# A private apt configuration for Debian suites the system does not use
# (bullseye for 5.10, trixie-backports for 7.3, arm64 packages for the arm64
# guest): own sources list, lists and cache under $TI_CACHE/apt, the same
# mirror as the system's. It never touches the system's sources or packages.
TI_APT=$TI_CACHE/apt
private_apt() {
	local cmd=$1
	shift
	"apt-$cmd" -q -o Dir::Etc::SourceList="$TI_APT/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists="$TI_APT/lists" \
		-o Dir::Cache="$TI_APT/cache" -o Dir::State::Status=/dev/null \
		-o APT::Architectures::=amd64 -o APT::Architectures::=arm64 \
		-o APT::Sandbox::User=root "$@"
}
# The first URI of the system's apt sources whose path ends in /$1.
system_apt_uri() {
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources 2>/dev/null |
		grep -oE "https?://[^ ]*/$1/?( |\$)" | head -n 1 | tr -d ' ' || true
}
# Refresh the private lists once a day; the mirror and security mirror are
# the ones the system's own apt sources name.
private_apt_update() {
	local mirror security kr=/usr/share/keyrings/debian-archive-keyring.gpg
	if [ -n "$(find "$TI_APT/lists" -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null | head -n 1)" ]; then
		return 0
	fi
	mirror=$(system_apt_uri debian)
	security=$(system_apt_uri debian-security)
	mirror=${mirror:-http://deb.debian.org/debian}
	security=${security:-http://deb.debian.org/debian-security}
	mkdir -p "$TI_APT/lists/partial" "$TI_APT/cache/archives/partial"
	{
		for s in bullseye bookworm trixie-backports; do
			echo "deb [signed-by=$kr] $mirror $s main"
		done
		for s in bullseye-security bookworm-security; do
			echo "deb [signed-by=$kr] $security $s main"
		done
	} > "$TI_APT/sources.list"
	# two fetches at once (tests/run.sh builds ahead) would fight over apt's
	# lists lock
	(flock 8 && private_apt get update >&2) 8>"$TI_APT/update.lock" ||
		die "private apt update failed"
}
