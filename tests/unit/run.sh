#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build and run the request parser's unit tests (test_payload.c together
# with src/request.c) under ASan and UBSan, and the decoder's constant-time
# check (ct_hex.c) under valgrind. Prints the tests' TAP on stdout;
# exits non-zero if the build or any test fails.
# Usage: tests/unit/run.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$root"
srcs=(tests/unit/test_payload.c src/request.c)
common=(-std=c11 -Wall -Wextra -Werror -g -Iinclude)
san=("-fsanitize=address,undefined" -fno-sanitize-recover=all)

# Probe separately from the real build, so that a warning in the tests is
# never mistaken for missing sanitizer support.
if echo 'int main(void) { return 0; }' > "$tmp/probe.c" &&
	"$cc" "${san[@]}" -o "$tmp/probe" "$tmp/probe.c" 2>/dev/null &&
	"$tmp/probe" 2>/dev/null; then
	flags=("${common[@]}" "${san[@]}")
else
	echo "# sanitizers unavailable"
	flags=("${common[@]}" -O1)
fi

"$cc" "${flags[@]}" -o "$tmp/test_payload" "${srcs[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
rc=0
"$tmp/test_payload" || rc=1

# The key decoder in constant time: memcheck flags every branch and every
# memory index on the digits, which ct_hex.c marks undefined. Its own TAP
# is folded into one line here, with memcheck's first complaint.
"$cc" -std=c11 -Wall -Wextra -Werror -O2 -g -Iinclude -o "$tmp/ct_hex" \
	tests/unit/ct_hex.c src/request.c
d="the key decoder runs in constant time (valgrind memcheck, secret digits undefined)"
if valgrind -q --error-exitcode=3 "$tmp/ct_hex" > "$tmp/ct.out" 2> "$tmp/ct.err" &&
	! grep -q '^not ok' "$tmp/ct.out"; then
	echo "ok - $d"
else
	echo "not ok - $d: $(grep -m1 -E 'depends on uninitialised|^not ok' "$tmp/ct.err" "$tmp/ct.out" | cut -d: -f2-)"
	rc=1
fi

# trusted-import-migrate's tables against the docs (its own TAP lines)
tests/unit/tool-tables.sh || rc=1
exit $rc
