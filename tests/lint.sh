#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --strict and sparse over the module and the test-only OP-TEE
# stand-in (tests/tee/), with the tools of the test kernel's own tree.
# Exits non-zero on any finding.
# Usage: tests/lint.sh [KERNEL_VERSION]
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

ver=${1:-$TI_KVER_DEFAULT}
kdir=$("$TI_ROOT/tests/vm/build-kernel.sh" "$ver")
status=0

say "checkpatch --strict"
cd "$TI_ROOT"
# the module, and the test-only OP-TEE stand-in (kernel code too)
files=(src/*.c src/*.h include/*.h compat/*.h tests/tee/*.c)
if ! perl "$kdir/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
	--ignore FILE_PATH_CHANGES -f "${files[@]}"; then
	status=1
fi

say "sparse (make C=2)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make -s -C "$TI_ROOT" dkms-src DKMS_SRC="$tmp/src"
# not silent, even under `make -s lint`: the CHECK lines prove sparse ran
env -u MAKEFLAGS -u MAKELEVEL make -C "$kdir" M="$tmp/src" C=2 W=1 modules \
	> "$tmp/sparse.log" 2>&1 || status=1
# the stand-in (every test kernel has the TEE subsystem: kernel.config)
mkdir "$tmp/tee"
cp tests/tee/Kbuild tests/tee/optee_double.c "$tmp/tee/"
env -u MAKEFLAGS -u MAKELEVEL make -C "$kdir" M="$tmp/tee" C=2 W=1 modules \
	>> "$tmp/sparse.log" 2>&1 || status=1
grep -c "CHECK" "$tmp/sparse.log" >/dev/null || { cat "$tmp/sparse.log"; die "sparse did not run"; }
# Anything the compiler or sparse says is a finding.
if grep -E 'warning|error' "$tmp/sparse.log"; then
	status=1
fi
[ $status -eq 0 ] && say "lint clean"
exit $status
