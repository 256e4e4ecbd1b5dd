#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Compile probes: which kernel APIs the target tree has. Kbuild runs this
# with the kernel's own compiler and flags and adds what it prints (one
# -DHAVE_* per API found) to the module's ccflags. A probe compiles a
# snippet against the real headers, so it asks the kernel itself rather
# than guessing from a version number or a distro's backports.
# Usage: conftest.sh CC CFLAGS...
cc=$1
shift

# probe: compile the snippet on stdin; print -D$name if it compiles (an
# undeclared function or an incomplete struct is an error, not a warning)
probe() {
	if $cc "$@" -fsyntax-only -x c - >/dev/null 2>&1; then
		printf ' -D%s' "$name"
	fi
}

# 5.13 split trusted keys into a core and backends (struct trusted_key_ops);
# before it, the stock update path seals with TPM 1.2 commands only.
name=HAVE_TRUSTED_KEY_OPS probe "$@" <<'C'
#include <keys/trusted-type.h>
static inline int ti_probe(struct trusted_key_ops *ops) { return ops->migratable; }
C

echo
