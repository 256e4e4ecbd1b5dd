#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The boot registry against what it names, as TAP: every boot's guest test
# and hook exist, every guest test is some boot's (or the benchmark's),
# tests/matrix.conf names only known boots, and docs/testing.md tells every
# boot with its cost. tests/run.sh runs it as the "registry" section.
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$TI_ROOT/tests/lib/boots.sh"
. "$TI_ROOT/tests/vm/boot-hooks.sh"

# check DESC CMD...: ok when CMD succeeds
check() {
	local d=$1
	shift
	if "$@"; then echo "ok - $d"; else echo "not ok - $d"; fi
}

missing=() hooks=() undocumented=()
for b in "${BOOTS[@]}"; do
	[ -f "$TI_ROOT/tests/vm/guest/t-${BOOT_GUEST[$b]}.sh" ] || missing+=("$b")
	h=${BOOT_HOOK[$b]}
	[ "$h" = - ] || { declare -F "hook_${h}_before" "hook_${h}_after" "hook_${h}_run" || true; } |
		grep -q . || hooks+=("$b:$h")
	# the cost table of docs/testing.md: a row "| `BOOT` | N s | ..." (or
	# "not measured yet", for a boot no run has reached)
	grep -qE "^\| \`$b\` \| ([0-9]+ s|not measured yet) \|" "$TI_ROOT/docs/testing.md" ||
		undocumented+=("$b")
done
check "every boot's guest test exists${missing:+ (not: ${missing[*]})}" [ ${#missing[@]} -eq 0 ]
check "every boot's hook exists${hooks:+ (not: ${hooks[*]})}" [ ${#hooks[@]} -eq 0 ]
check "docs/testing.md has every boot in its cost table${undocumented:+ (not: ${undocumented[*]})}" \
	[ ${#undocumented[@]} -eq 0 ]

unused=()
for f in "$TI_ROOT"/tests/vm/guest/t-*.sh; do
	g=${f##*/t-} g=${g%.sh}
	# t-bench.sh: tests/bench/run.sh's own boot
	[ "$g" = bench ] && continue
	used=
	for b in "${BOOTS[@]}"; do [ "${BOOT_GUEST[$b]}" = "$g" ] && used=1; done
	[ -n "$used" ] || unused+=("t-$g.sh")
done
check "every guest test is run by a boot${unused:+ (not: ${unused[*]})}" [ ${#unused[@]} -eq 0 ]

bad=()
while read -r ver arch _ boots; do
	case $ver in ''|'#'*) continue ;; esac
	# shellcheck disable=SC2086
	[ "$boots" = all ] || u=$(boot_unknown $boots) || bad+=("$ver/$arch: $u")
done < "$TI_ROOT/tests/matrix.conf"
check "tests/matrix.conf names only boots of tests/boots.conf${bad:+ (not: ${bad[*]})}" [ ${#bad[@]} -eq 0 ]
check "an unknown boot name is refused" eval '! boot_unknown main nosuchboot >/dev/null'
check "a group name is accepted" boot_unknown field powercut tee
