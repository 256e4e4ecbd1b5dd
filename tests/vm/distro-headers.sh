#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Check the module against Debian's stock amd64 kernel headers (bookworm's
# 6.1, bookworm-security's 6.12, trixie-backports' 7.3), which all lack
# CONFIG_TRUSTED_KEYS:
#  - it compiles there, as a user's DKMS build would, with no warning at all;
#  - DKMS itself skips those kernels cleanly (BUILD_EXCLUSIVE_CONFIG, exit 77).
# The packages come through the private apt configuration and are only
# extracted, into $TI_CACHE/headers/<package version>: nothing is installed
# on the host. Headers of another suite than the host's (7.3: trixie) are
# built in a minimal root of that suite, made once with mmdebstrap into
# $TI_CACHE/roots/ (make_root says why). Needs root (chroot, bind mounts).
# Prints one TAP line per check and exits 0 only when all of them passed.
# Usage: distro-headers.sh [WORK_DIR] [VERSION...]
#        (WORK_DIR defaults to build/distro-headers, VERSIONs to 6.1 6.12 7.3;
#        5.10, bullseye, only when asked for)
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

work=$TI_ROOT/build/distro-headers
versions=()
for a in "$@"; do
	case $a in
	[0-9]*.[0-9]*) versions+=("$a") ;;
	*) work=$(realpath -m "$a") ;;
	esac
done
[ ${#versions[@]} -gt 0 ] || versions=(6.1 6.12 7.3)
hcache=$TI_CACHE/headers
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
host_suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
export LC_ALL=C.UTF-8

# VERSION -> the name pattern of its stock amd64 headers package (the newest
# match wins) and the Debian suite whose compiler and C library they expect.
distro_of() {
	case $1 in
	5.10) echo 'linux-headers-5\.10\.0-[0-9]+-amd64 bullseye' ;;
	6.1) echo 'linux-headers-6\.1\.0-[0-9]+-amd64 bookworm' ;;
	6.12) echo 'linux-headers-6\.12\.[0-9]+\+deb12-amd64 bookworm' ;;
	7.3) echo 'linux-headers-7\.3\.[0-9]+\+deb13-amd64 trixie' ;;
	*) return 1 ;;
	esac
}

# What a build root of SUITE holds: the compiler the headers name in
# .kernelvariables, what the kbuild package's programs link against, pahole
# for the modules' BTF, and the suite's own DKMS.
root_pkgs() {
	case $1 in
	bullseye) echo gcc-10 binutils make libc6-dev dwarves libelf1 libssl1.1 zlib1g kmod dkms ;;
	trixie) echo gcc-14-for-host binutils make libc6-dev pahole libelf1t64 libssl3t64 zlib1g kmod dkms ;;
	*) return 1 ;;
	esac
}

# The headers' kernel needs the compiler it was built with: 7.3's flags
# (-fmin-function-alignment, ...) are unknown to bookworm's gcc-12, and
# trixie's gcc-14 and its kbuild programs (modpost, objtool, which need
# glibc 2.38) do not run on bookworm. So a suite other than the host's gets
# a minimal root of that suite (mmdebstrap, cached); rebuilding the host
# programs from linux-source would still leave the wrong compiler.
# Prints the root's path.
make_root() {
	local suite=$1 log=$2 pkgs dir tmp mirror
	pkgs=$(root_pkgs "$suite") || { echo "no build root defined for $suite" >"$log"; return 1; }
	dir=$TI_CACHE/roots/$suite-$(echo "$suite $pkgs" | sha256sum | cut -c1-12)
	if [ ! -f "$dir/.ti-done" ]; then
		if ! command -v mmdebstrap >/dev/null; then
			echo "a $suite build root needs mmdebstrap (apt-get install mmdebstrap)" >"$log"
			return 1
		fi
		mirror=$(system_apt_uri debian)
		say "creating a $suite build root in $dir (first run only, a few minutes)"
		mkdir -p "${dir%/*}"
		tmp=$(mktemp -d "$dir.tmp.XXXXXX")
		if ! mmdebstrap --mode=root --variant=essential --include="${pkgs// /,}" \
			"$suite" "$tmp" "deb [signed-by=$keyring] ${mirror:-http://deb.debian.org/debian} $suite main" \
			>"$log" 2>&1; then
			rm -rf "$tmp"
			return 1
		fi
		touch "$tmp/.ti-done"
		mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
	fi
	echo "$dir"
}

# Run a command on the host (ROOT empty), or in ROOT with the headers cache
# and the work dir at the same paths, in a private mount namespace so that no
# mount outlives the command.
run_in() {
	local root=$1
	shift
	if [ -z "$root" ]; then
		"$@"
		return
	fi
	unshare --mount --propagation private -- bash -c '
		r=$1 h=$2 w=$3
		shift 3
		for d in "$h" "$w"; do
			mkdir -p "$r$d" && mount --bind "$d" "$r$d" || exit 125
		done
		mount -t proc proc "$r/proc" || exit 125
		exec chroot "$r" /usr/bin/env -i HOME=/root LC_ALL=C.UTF-8 \
			PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"' \
		_ "$root" "$hcache" "$work" "$@"
}

# The newest "VERSION<tab>DEPENDS" of amd64 package $1 in $apt_records.
record_of() {
	awk -v p="$1" 'BEGIN { RS = ""; FS = "\n" }
	{
		pk = v = d = a = ""
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^Package: /) pk = substr($i, 10)
			else if ($i ~ /^Version: /) v = substr($i, 10)
			else if ($i ~ /^Depends: /) d = substr($i, 10)
			else if ($i ~ /^Architecture: /) a = substr($i, 15)
		}
		if (pk == p && a == "amd64") print v "\t" d
	}' <<<"$apt_records" | sort -V | tail -n 1
}

# PACKAGE -> sets pkg, pkgver, hdr (the -amd64 headers tree), kver; fetches
# the package, its -common and its kbuild package, and extracts them, once
# per package version.
fetch_headers() {
	local log=$2 common kbuild deps dir tmp l t
	pkg=$1
	IFS=$'\t' read -r pkgver deps < <(record_of "$pkg") || true
	[ -n "$pkgver" ] || { echo "no amd64 record for $pkg" >"$log"; return 1; }
	common=$(grep -oE 'linux-headers-[^ ,]+-common' <<<"$deps" | head -n 1)
	kbuild=$(grep -oE 'linux-kbuild-[^ ,]+' <<<"$deps" | head -n 1)
	dir=$hcache/$pkgver
	hdr=$dir/usr/src/$pkg
	if [ ! -f "$dir/.ti-done" ]; then
		say "fetching $pkg $pkgver, $common and $kbuild"
		mkdir -p "$hcache"
		tmp=$(mktemp -d "$dir.tmp.XXXXXX")
		# the kbuild package of the same version when there is one
		if ! (cd "$tmp" && { private_apt get download "$pkg:amd64=$pkgver" "$common=$pkgver" \
			"$kbuild:amd64=$pkgver" || private_apt get download "$pkg:amd64=$pkgver" \
			"$common=$pkgver" "$kbuild:amd64"; }) >"$log" 2>&1; then
			rm -rf "$tmp"
			return 1
		fi
		for deb in "$tmp"/*.deb; do
			if ! dpkg-deb -x "$deb" "$tmp"; then
				rm -rf "$tmp"
				return 1
			fi
			rm "$deb"
		done
		# The -amd64 Makefile includes the -common one (and 7.3 sets
		# KBUILD_OUTPUT) by installed, absolute path: make both relative
		# to the tree. scripts and tools already link relatively
		# (../../lib/linux-kbuild-X/...), which holds in the copy too.
		sed -i -e 's|^include /usr/src/|include $(CURDIR)/../|' \
			-e 's|^KBUILD_OUTPUT=/usr/src/.*|KBUILD_OUTPUT=$(CURDIR)|' \
			"$tmp/usr/src/$pkg/Makefile"
		# Absolute links (lib/modules/KVER/build, source) lead to the
		# host's /usr/src: point them into the copy.
		while IFS= read -r l; do
			t=$(readlink "$l")
			ln -sfn "$(realpath -m --relative-to="${l%/*}" "$tmp$t")" "$l"
		done < <(find "$tmp" -type l -lname '/*')
		echo "$pkg $common $kbuild" >"$tmp/.ti-packages"
		touch "$tmp/.ti-done"
		mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
	fi
	kver=$(sed -n 's/^override KERNELRELEASE = //p' "$hdr/.kernelvariables")
	[ -n "$kver" ] && ! grep -q '/usr/src/' "$hdr/Makefile" &&
		[ -x "$hdr/scripts/basic/fixdep" ]
}

# The kbuild programs that cannot start in ROOT (a C library too old).
broken_tools() {
	run_in "$1" bash -c 'for f in $(find "$1"/scripts/ "$1"/tools/ -type f -perm -u+x); do
		[ "$(head -c 4 "$f" | od -An -c | tr -d " ")" = "177ELF" ] || continue
		ldd "$f" 2>&1 | grep -q "not found" && echo "${f##*/}"
	done; true' _ "$hdr"
}

# What a clean external module build prints, and nothing else
kbuild_quiet='^(make(\[[0-9]+\])?: (Entering|Leaving) directory .*|  [A-Z0-9_]+( \[M\])? +[^ ].*|Skipping BTF generation for .* due to unavailability of vmlinux)$'

ok() { echo "ok - $*"; }
notok() {
	local log=$1
	shift
	echo "not ok - $*"
	[ -f "$log" ] && tail -n 15 "$log" | sed 's/^/#   /'
	failed=1
}

# One check: the module compiles against HDR with no warning and modpost
# is content, with what a user's DKMS build gets: DKMS 3.x's own command
# for a dkms.conf without MAKE, "make -j<N> KERNELRELEASE=<kver> -C <kernel
# source dir> M=<build dir>", and the compiler of the headers' own
# .kernelvariables (DKMS exports the same as CC); no W=1, no extra flags.
# -j2 rather than DKMS's -j$(nproc): the build machines' cores are shared.
check_compile() {
	local v=$1 root=$2 where=$3 d b bad vm
	d=$work/$v
	b=$d/build
	rm -rf "$b"
	cp -a "$work/src" "$b"
	bad=$(broken_tools "$root" | tr '\n' ' ')
	if [ -n "$bad" ]; then
		echo "kbuild programs that do not start here: $bad" >"$d/compile.log"
		notok "$d/compile.log" "$v: compile: $pkg's kbuild programs do not run on the $where"
		return
	fi
	if ! run_in "$root" make -j2 KERNELRELEASE="$kver" -C "$hdr" M="$b" \
		>"$d/compile.log" 2>&1; then
		notok "$d/compile.log" "$v: compile against $pkg $pkgver"
		return
	fi
	# Any warning or error, and any line that is not Kbuild's own progress
	# (a compile probe's stray stderr, "the compiler differs", ...).
	{
		grep -iE 'warning|error' "$d/compile.log" || true
		grep -vE "$kbuild_quiet" "$d/compile.log" || true
	} >"$d/warnings.log"
	if [ -s "$d/warnings.log" ]; then
		notok "$d/warnings.log" "$v: compile against $pkg $pkgver: warnings or unexpected output"
		return
	fi
	vm=$(modinfo -F vermagic "$b/trusted_import.ko" 2>/dev/null || true)
	if [ "${vm%% *}" != "$kver" ]; then
		echo "vermagic '$vm', expected $kver" >>"$d/compile.log"
		notok "$d/compile.log" "$v: compile against $pkg $pkgver: vermagic"
		return
	fi
	ok "$v: compiles against $pkg $pkgver with no warnings ($(sed -n 's/^CC = .*)//p' "$hdr/.kernelvariables"), $where)"
}

# One check: "dkms build" (ROOT's DKMS) skips the kernel through
# BUILD_EXCLUSIVE_CONFIG: exit code 77 (9 from DKMS 2.x) and its message.
# Private DKMS trees keep the host's own DKMS state untouched. The host's
# DKMS gets the headers with --kernelsourcedir, as /lib/modules there is not
# ours; a root's DKMS finds them where a user's does: KVER/build under
# /lib/modules (2.x, 3.0) or the install tree (3.2). With --kernelsourcedir
# DKMS 2.x would "prepare" the headers tree (make mrproper, oldconfig).
check_dkms() {
	local v=$1 root=$2 name=$3 d rc=0 want=77 dk dv ksrc=()
	d=$work/$v/dkms-$name
	rm -rf "$d"
	mkdir -p "$d/tree" "$d/install" "$d/src"
	cp -a "$work/src" "$d/src/trusted-import-$version"
	dk=(dkms --dkmstree "$d/tree" --sourcetree "$d/src" --installtree "$d/install")
	if [ -z "$root" ]; then
		ksrc=(--kernelsourcedir "$hdr")
	else
		mkdir -p "$root/lib/modules/$kver" "$d/install/$kver"
		ln -sfn "$hdr" "$root/lib/modules/$kver/build"
		ln -sfn "$hdr" "$d/install/$kver/build"
	fi
	dv=$(run_in "$root" dkms --version 2>/dev/null | tr -d '\n' || true)
	case $dv in *[-:\ ]2.*) want=9 ;; esac
	if grep -qE '^CONFIG_TRUSTED_KEYS=[ym]' "$hdr/.config"; then
		echo "$hdr/.config has CONFIG_TRUSTED_KEYS now: no skip to test" >"$d.log"
		notok "$d.log" "$v: $dv build skips $kver: the kernel has trusted keys, update this test"
		return
	fi
	if ! run_in "$root" "${dk[@]}" add -m trusted-import -v "$version" >"$d.log" 2>&1; then
		notok "$d.log" "$v: $dv add"
		return
	fi
	run_in "$root" "${dk[@]}" build -m trusted-import -v "$version" -k "$kver" \
		"${ksrc[@]}" >>"$d.log" 2>&1 || rc=$?
	# DKMS 2.x and 3.2 wrap the message over several lines
	if [ "$rc" -ne "$want" ] || [ -n "$(find "$d/tree" -name make.log)" ] ||
		! tr '\n' ' ' <"$d.log" | grep -q 'includes a BUILD_EXCLUSIVE directive which does not match this kernel/arch' ||
		! grep -qF "trusted-import: kernel $kver has no CONFIG_TRUSTED_KEYS (the kernel's trusted key type), so the module is not built for it." "$d.log"; then
		echo "exit code $rc" >>"$d.log"
		notok "$d.log" "$v: $dv build skips $kver (exit $want, BUILD_EXCLUSIVE)"
		return
	fi
	ok "$v: $dv build skips $kver (exit $want, BUILD_EXCLUSIVE, and dkms.conf names CONFIG_TRUSTED_KEYS)"
}

mkdir -p "$work"
failed=0
if ! make -s -C "$TI_ROOT" dkms-src DKMS_SRC="$work/src" >"$work/dkms-src.log" 2>&1; then
	notok "$work/dkms-src.log" "make dkms-src"
	exit 1
fi
version=$(sh "$work/src/compat/version.sh" "$work/src/dkms.conf")
private_apt_update

# Each apt-cache call reads all the private lists again (several seconds):
# ask twice in all, not per version.
names=$(private_apt cache pkgnames linux-headers-)
declare -A pkg_of suite_of
for v in "${versions[@]}"; do
	read -r pattern suite_of[$v] < <(distro_of "$v") ||
		die "unknown version $v (known: 5.10 6.1 6.12 7.3)"
	pkg_of[$v]=$(grep -xE "$pattern" <<<"$names" | sort -V | tail -n 1 || true)
done
mapfile -t wanted < <(printf '%s\n' "${pkg_of[@]}" | grep . | sed 's/$/:amd64/')
apt_records=
[ ${#wanted[@]} -eq 0 ] || apt_records=$(private_apt cache show "${wanted[@]}")

for v in "${versions[@]}"; do
	suite=${suite_of[$v]}
	rm -rf "${work:?}/$v"
	mkdir -p "$work/$v"
	if [ -z "${pkg_of[$v]}" ] || ! fetch_headers "${pkg_of[$v]}" "$work/$v/fetch.log"; then
		notok "$work/$v/fetch.log" "$v: fetch and extract the stock headers ${pkg_of[$v]:-(no package)}"
		continue
	fi
	root="" where=host
	if [ "$suite" != "$host_suite" ]; then
		where="$suite root"
		if ! root=$(make_root "$suite" "$work/$v/root.log"); then
			notok "$work/$v/root.log" "$v: a $suite build root"
			continue
		fi
	fi
	check_compile "$v" "$root" "$where"
	# the host's DKMS, and the suite's own (what that kernel's users have)
	check_dkms "$v" "" host
	[ -z "$root" ] || check_dkms "$v" "$root" "$suite"
done
exit "$failed"
