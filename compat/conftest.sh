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

# A probe that fails for any other reason (wrong flags, a tree without
# the headers, a compiler that cannot run) would silently pick the older
# code path. So first a snippet that every supported tree compiles: if
# even that fails, print TI_PROBES_FAILED and the compiler's complaint,
# and Kbuild stops the build with it.
if ! err=$($cc "$@" -fsyntax-only -x c - 2>&1 >/dev/null <<'C'
#include <linux/key-type.h>
#include <keys/trusted-type.h>
static inline unsigned int ti_probe(struct trusted_key_payload *p) { return p->key_len; }
C
); then
	echo "TI_PROBES_FAILED"
	printf '%s\n' "$err" | head -n 5 >&2
	exit 1
fi

# 5.13 split trusted keys into a core and backends (struct trusted_key_ops);
# before it, the stock update path seals with TPM 1.2 commands only.
name=HAVE_TRUSTED_KEY_OPS probe "$@" <<'C'
#include <keys/trusted-type.h>
static inline int ti_probe(struct trusted_key_ops *ops) { return ops->migratable; }
C

# ->preparse learnt the proposed description after 5.10 (orig_description).
name=HAVE_PREP_ORIG_DESCRIPTION probe "$@" <<'C'
#include <linux/key-type.h>
static inline const char *ti_probe(struct key_preparsed_payload *p) { return p->orig_description; }
C

# bin2hex() moved to <linux/hex.h>, which <linux/kernel.h> stopped pulling
# in (7.x); older kernels have no such header.
name=HAVE_LINUX_HEX_H probe "$@" <<'C'
#include <linux/hex.h>
static inline char *ti_probe(char *d, const void *s) { return bin2hex(d, s, 1); }
C
echo
