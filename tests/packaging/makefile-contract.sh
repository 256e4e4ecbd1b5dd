#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Makefile contract of docs/packaging.md, against one built kernel tree:
# KERNEL_SRC, KDIR and O= reach Kbuild; modules_install puts the module
# where depmod finds it (INSTALL_MOD_PATH, INSTALL_MOD_DIR, DESTDIR); the
# tool keeps its own compiler flags under the builder's CFLAGS; and
# install-tools installs exactly the files docs/packaging.md lists, for each
# of its options. Works on a copy of the sources in a temporary directory
# (two module builds, one tool build). One TAP line per check, then
# "N passed, N failed"; exits 1 when a check failed, 2 when it cannot run.
# Usage: tests/packaging/makefile-contract.sh KERNEL_TREE
#        (a cross-built tree: export its ARCH and CROSS_COMPILE)
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
tree=${1:-}
if [ -z "$tree" ] || [ ! -f "$tree/Makefile" ] || [ ! -f "$tree/Module.symvers" ]; then
	echo "usage: $0 KERNEL_TREE (a configured and built kernel)" >&2
	exit 2
fi
tree=$(cd "$tree" && pwd)
# Only what the checks set: nothing of the caller's build environment
# (a run from make, a devshell's KERNEL_SRC or O) but the kernel's arch.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES KDIR KERNEL_SRC O KBUILD_OUTPUT \
	INSTALL_MOD_PATH INSTALL_MOD_DIR MODLIB DEPMOD DESTDIR PREFIX CC CFLAGS \
	CPPFLAGS LDFLAGS LDLIBS WITH_SYSV WITH_SYSTEMD SYSTEMD_UNIT_DIR PKG_CONFIG V
export PATH=$PATH:/sbin:/usr/sbin
rel=$(cat "$tree/include/config/kernel.release" 2>/dev/null ||
	make -s -C "$tree" kernelrelease 2>/dev/null)
[ -n "$rel" ] || { echo "cannot tell the kernel release of $tree" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass=0 fail=0
# t LOG NAME STATUS: one check, passed when STATUS (that of the test just
# run, $?) is 0; on failure the end of LOG (- for none)
t() {
	local log=$1 name=$2
	if [ "$3" -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok - $name"
	else
		fail=$((fail + 1))
		echo "not ok - $name"
		[ "$log" != - ] && [ -s "$log" ] && tail -n 15 "$log" | sed 's/^/# /'
	fi
	return 0
}

# The sources a package build gets: the DKMS files (the Makefile's own
# list), the Makefile, and what the tools and their install need.
copy_src() {
	make -s -C "$root" dkms-src DKMS_SRC="$1" >/dev/null &&
		cp "$root/Makefile" "$1/" &&
		mkdir -p "$1/tools" "$1/docs" "$1/tests" &&
		cp -r "$root/tools/Makefile" "$root/tools/migrate" "$root/tools/boot" "$1/tools/" &&
		cp "$root/docs/trusted-import-migrate.8" "$1/docs/" &&
		cp "$root/tests/matrix.conf" "$1/tests/"
}
a=$tmp/a b=$tmp/b
if ! copy_src "$a" || ! copy_src "$b"; then
	echo "Bail out! cannot copy the sources"
	exit 2
fi

# The tool is a host program here, whatever the kernel's arch.
tmake() { env -u ARCH -u CROSS_COMPILE make "$@"; }

## The module

make -C "$a" KERNEL_SRC="$tree" modules modules_install INSTALL_MOD_PATH="$tmp/modA" \
	>"$tmp/a.log" 2>&1
t "$tmp/a.log" "make KERNEL_SRC=<tree> modules modules_install INSTALL_MOD_PATH=<dir> succeeds" $?
moddir=$tmp/modA/lib/modules/$rel
ko=$moddir/updates/trusted_import.ko
[ -f "$ko" ]
t - "the module is at \$INSTALL_MOD_PATH/lib/modules/$rel/updates/trusted_import.ko" $?
vermagic=$(modinfo -F vermagic "$ko" 2>/dev/null)
[ "${vermagic%% *}" = "$rel" ]
t - "it is built against the tree given ($rel), not the running kernel's (vermagic '${vermagic%% *}')" $?
# depmod afresh, not the index that Kbuild's modules_install left
rm -f "$moddir"/modules.*
depmod -b "$tmp/modA" "$rel" >"$tmp/depmod.log" 2>&1
grep -q '^updates/trusted_import\.ko:' "$moddir/modules.dep" 2>/dev/null
t "$tmp/depmod.log" "depmod -b <dir> $rel lists it in modules.dep" $?

make -C "$a" KERNEL_SRC="$tree" modules_install INSTALL_MOD_PATH="$tmp/modE" \
	INSTALL_MOD_DIR=extra >"$tmp/e.log" 2>&1
[ -f "$tmp/modE/lib/modules/$rel/extra/trusted_import.ko" ] &&
	[ ! -e "$tmp/modE/lib/modules/$rel/updates" ]
t "$tmp/e.log" "INSTALL_MOD_DIR=extra installs into lib/modules/$rel/extra/ instead" $?
make -C "$a" KERNEL_SRC="$tree" modules_install DESTDIR="$tmp/modD" >"$tmp/d.log" 2>&1
[ -f "$tmp/modD/lib/modules/$rel/updates/trusted_import.ko" ]
t "$tmp/d.log" "without INSTALL_MOD_PATH, modules_install installs under DESTDIR" $?

# modsig ROOT: the modules under ROOT and what modinfo says of each
modsig() {
	local k
	(cd "$1" 2>/dev/null && find lib -name '*.ko' | sort) | while read -r k; do
		echo "$k"
		modinfo -F vermagic "$1/$k"
		modinfo -F srcversion "$1/$k"
		modinfo -F version "$1/$k"
		modinfo -F depends "$1/$k"
	done
}
make -C "$b" KDIR="$tree" modules modules_install INSTALL_MOD_PATH="$tmp/modB" \
	>"$tmp/b.log" 2>&1
t "$tmp/b.log" "make KDIR=<tree> modules modules_install succeeds too" $?
sigA=$(modsig "$tmp/modA") sigB=$(modsig "$tmp/modB")
[ -n "$sigA" ] && [ "$sigA" = "$sigB" ]
t - "KDIR and KERNEL_SRC give the same module, installed at the same place" $?

! make -C "$a" KDIR="$tree" KERNEL_SRC="$tmp/other" modules >"$tmp/both.log" 2>&1 &&
	grep -q "name different kernels" "$tmp/both.log"
t "$tmp/both.log" "KDIR and KERNEL_SRC naming different trees is an error" $?

# O= names the kernel's output directory: an empty one makes Kbuild fail
# there (the same build without O= succeeds), from the command line as from
# the environment (Yocto's devshell exports O)
make -C "$a" KDIR="$tree" O="$tmp/kout1" modules >"$tmp/o1.log" 2>&1
r1=$?
O=$tmp/kout2 make -C "$a" KDIR="$tree" modules >"$tmp/o2.log" 2>&1
r2=$?
[ $r1 -ne 0 ] && grep -qF "$tmp/kout1" "$tmp/o1.log" &&
	[ $r2 -ne 0 ] && grep -qF "$tmp/kout2" "$tmp/o2.log"
t "$tmp/o2.log" "O= (command line and environment) reaches Kbuild as the kernel's output directory" $?

## The tool

# flags_ok LOG OPT: every compile in LOG has OPT and the required flags,
# and no -O2 (the default that the builder's CFLAGS replace)
flags_ok() {
	grep -E ' -c -o ' "$1" >"$1.cc" || return 1
	awk -v opt="$2" '{
		n = 0; bad = 0
		for (i = 1; i <= NF; i++) {
			if ($i == opt || $i == "-Wall" || $i == "-Werror" || $i == "-D_GNU_SOURCE") n++
			if ($i == "-O2") bad = 1
		}
		if (n < 4 || bad) { print "bad flags: " $0; exit 1 }
	}' "$1.cc"
}
CFLAGS=-O1 tmake -C "$a" tools >"$tmp/tools.log" 2>&1 &&
	[ -x "$a/tools/trusted-import-migrate" ]
t "$tmp/tools.log" "CFLAGS=-O1 in the environment: make tools builds the tool" $?
flags_ok "$tmp/tools.log" -O1
t "$tmp/tools.log" "... compiling with -O1 and still -Wall -Werror -D_GNU_SOURCE" $?
tmake -n -B -C "$a" tools CFLAGS=-O1 >"$tmp/tools-n.log" 2>&1
flags_ok "$tmp/tools-n.log" -O1
t "$tmp/tools-n.log" "CFLAGS=-O1 on the command line (Buildroot): the same flags" $?
tmake -n -B -C "$a" tools CROSS_COMPILE=aarch64-linux-gnu- >"$tmp/tools-x.log" 2>&1
grep -E ' -c -o ' "$tmp/tools-x.log" >"$tmp/x.cc" && ! grep -qv '^aarch64-linux-gnu-gcc ' "$tmp/x.cc"
t "$tmp/tools-x.log" "CROSS_COMPILE=aarch64-linux-gnu- compiles the tool with aarch64-linux-gnu-gcc" $?

## install-tools

# expected PREFIX SYSTEMD_UNIT_DIR WITH_SYSTEMD WITH_SYSV: "MODE PATH" of
# every file docs/packaging.md lists for those choices, sorted
expected() {
	sed -n '/<!-- install-tools files: begin -->/,/<!-- install-tools files: end -->/p' \
		"$root/docs/packaging.md" |
		awk -v prefix="$1" -v unitdir="$2" -v sd="$3" -v sysv="$4" '
		$1 ~ /^[0-7][0-7][0-7][0-7]$/ {
			if ($3 == "if") {
				split($4, c, "=")
				v = c[1] == "WITH_SYSTEMD" ? sd : c[1] == "WITH_SYSV" ? sysv : "unknown condition " $4
				if (v != c[2]) next
			}
			p = $2
			gsub(/\$\(PREFIX\)/, prefix, p)
			gsub(/\$\(SYSTEMD_UNIT_DIR\)/, unitdir, p)
			print $1, p
		}' | sort
}
# installed DIR ARGS...: make install-tools DESTDIR=DIR ARGS, then "MODE
# PATH" of every file it put there, sorted
installed() {
	local d=$1
	shift
	rm -rf "$d"
	if ! tmake -C "$a" install-tools DESTDIR="$d" "$@" >"$tmp/install.log" 2>&1; then
		echo "make install-tools $* failed:"
		tail -n 5 "$tmp/install.log"
		return 1
	fi
	(cd "$d" && find . ! -type d -printf '%#m /%P\n' | sort)
}
# same NAME WANT GOT: a check that the two lists are equal (a diff if not)
same() {
	[ -n "$2" ] && [ "$2" = "$3" ]
	local rc=$?
	[ $rc -eq 0 ] || diff <(echo "$2") <(echo "$3") >"$tmp/diff"
	t "$tmp/diff" "$1" $rc
}

[ "$(expected /usr /u 1 1 | wc -l)" -ge 4 ]
t - "docs/packaging.md lists the installed files" $?
unit=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null)
unit=${unit:-/lib/systemd/system}
got0=$(installed "$tmp/d0" WITH_SYSV=0)
same "install-tools DESTDIR=<dir> WITH_SYSV=0 installs exactly the documented files (unit in $unit)" \
	"$(expected /usr "$unit" 1 0)" "$got0"
same "the defaults are WITH_SYSTEMD=1 WITH_SYSV=0" "$got0" "$(installed "$tmp/d1")"
got2=$(installed "$tmp/d2" WITH_SYSV=1)
same "WITH_SYSV=1 installs the documented files" "$(expected /usr "$unit" 1 1)" "$got2"
[ "$(comm -13 <(echo "$got0") <(echo "$got2"))" = "0755 /etc/init.d/trusted-import-migrate" ] &&
	[ -z "$(comm -23 <(echo "$got0") <(echo "$got2"))" ]
t - "WITH_SYSV=1 adds the init script and nothing else" $?
same "SYSTEMD_UNIT_DIR=/usr/lib/systemd/system puts the unit there" \
	"$(expected /usr /usr/lib/systemd/system 1 0)" \
	"$(installed "$tmp/d3" SYSTEMD_UNIT_DIR=/usr/lib/systemd/system)"
# shellcheck disable=SC2016 # the fake's own $*
printf '#!/bin/sh\n[ "$*" = "--variable=systemdsystemunitdir systemd" ] && echo /srv/units\n' \
	>"$tmp/pkg-config"
chmod +x "$tmp/pkg-config"
same "the default unit directory is what pkg-config says (PKG_CONFIG)" \
	"$(expected /usr /srv/units 1 0)" "$(installed "$tmp/d4" PKG_CONFIG="$tmp/pkg-config")"
same "without systemd's pkg-config file, the unit goes to /lib/systemd/system" \
	"$(expected /usr /lib/systemd/system 1 0)" "$(installed "$tmp/d5" PKG_CONFIG=false)"
same "WITH_SYSTEMD=0 installs no unit" "$(expected /usr "$unit" 0 0)" \
	"$(installed "$tmp/d6" WITH_SYSTEMD=0)"
same "PREFIX=/opt/ti moves the tool, its man page and the boot script" \
	"$(expected /opt/ti "$unit" 1 0)" "$(installed "$tmp/d7" PREFIX=/opt/ti)"
got8=$(installed "$tmp/d8" O="$tmp/kout3")
[ "$got8" = "$got0" ] && [ ! -e "$tmp/kout3/trusted-import-migrate" ]
t - "O= (the kernel's) leaves the tool in tools/ and install-tools unchanged" $?

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
