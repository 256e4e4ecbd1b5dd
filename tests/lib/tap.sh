# SPDX-License-Identifier: GPL-2.0
# TAP results of the host-side runners (tests/run.sh, tests/suite.sh): one
# results file, $results, of "ok - SECTION: ..." and "not ok - ..." lines.
# Sourced, never run.

# add SECTION < TAP: keep the ok / not ok lines, named by their section
# (a kernel's section has a slash in it: hence the commas)
add() {
	sed -nE "s,^(ok|not ok)( [0-9]+)? -? ?,\1 - $1: ,p" >> "$results"
}
fail() { echo "not ok - $1" | add setup; }
# skip SECTION WHY: a part that did not run, counted as skipped
skip() { echo "ok - not run # SKIP $2" | add "$1"; }

# tap_count KIND FILE: the passed, failed or skipped lines of FILE
tap_count() {
	case $1 in
	passed) grep -E '^ok' "$2" | grep -vc '# SKIP' || true ;;
	failed) grep -c '^not ok' "$2" || true ;;
	skipped) grep -E '^ok' "$2" | grep -c '# SKIP' || true ;;
	esac
}
