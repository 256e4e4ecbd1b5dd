#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build and run the payload parser's unit tests (test_payload.c together
# with src/payload.c) under ASan and UBSan. Prints the tests' TAP on stdout;
# exits non-zero if the build or any test fails.
# Usage: tests/unit/run.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$root"
srcs=(tests/unit/test_payload.c src/payload.c)
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
"$tmp/test_payload"
