#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# trusted-import-migrate's two tables against what is written elsewhere:
#  - the exit codes (tools/migrate/exit_codes.def) against the manual page,
#    docs/migration.md and tools/boot/trusted-import-migrate-once: every code
#    with its meaning word for word, none missing, none extra;
#  - the progress markers (tools/migrate/steps.def): well formed, named by
#    the manual page, and printed by msg.c exactly so.
# Prints one TAP line per check; exits non-zero if any failed.
# Usage: tests/unit/tool-tables.sh
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0

def=tools/migrate/exit_codes.def
steps=tools/migrate/steps.def
man=docs/trusted-import-migrate.8
doc=docs/migration.md
once=tools/boot/trusted-import-migrate-once

ok() { echo "ok - $*"; }
notok() {
	echo "not ok - $*"
	rc=1
}

# same WHAT WHERE EXPECTED GOT: ok WHAT when the two files are equal, else
# not ok with the difference (the table's against WHERE's) as TAP comments
same() {
	if diff -u --label table --label "$2" "$3" "$4" > "$tmp/diff"; then
		ok "$1"
	else
		notok "$1"
		sed 's/^/#   /' "$tmp/diff"
	fi
}

# --- exit codes ------------------------------------------------------------

# the table, one "CODE<TAB>MEANING" line per code
sed -n 's/^TI_EXIT(\([0-9][0-9]*\), *\([A-Z][A-Z0-9_]*\), *"\([^"\\]*\)")$/\1\t\3/p' \
	"$def" > "$tmp/codes"
why=
n=$(wc -l < "$tmp/codes")
if [ "$n" -eq 0 ]; then
	why="no TI_EXIT line"
elif [ "$(grep -c '^TI_EXIT' "$def")" -ne "$n" ]; then
	why="a TI_EXIT line not of the form TI_EXIT(CODE, NAME, \"meaning\")"
elif ! cut -f1 "$tmp/codes" | sort -n -c -u 2>/dev/null; then
	why="codes not ascending, or one twice"
elif cut -f2 "$tmp/codes" | grep -q '|'; then
	why="a meaning with '|' (docs/migration.md's table)"
elif cut -f2 "$tmp/codes" | grep -qE "^[.']"; then
	why="a meaning starting with '.' or \"'\" (a roff request in the manual page)"
fi
if [ -z "$why" ]; then
	ok "exit codes: $def is well formed ($n codes, $(cut -f1 "$tmp/codes" | tr '\n' ' ' | sed 's/ $//'))"
else
	notok "exit codes: $def is well formed: $why"
fi

# The manual page, EXIT STATUS: ".TP", ".B CODE", then the meaning's line;
# more lines may follow it.
awk '
	/^\.SH / { ins = ($0 ~ /^\.SH "?EXIT STATUS"?$/); st = 0; next }
	!ins || /^\.\\"/ { next }
	/^\.TP$/ { st = 1; next }
	st == 1 && /^\.B [0-9]+$/ { code = $2; st = 2; next }
	st == 1 { print "?\t" $0; st = 0; next }
	st == 2 { print code "\t" $0; st = 0; next }
' "$man" > "$tmp/man"
same "exit codes: $man (EXIT STATUS) gives every code of $def with its meaning, and no other" \
	"$man" "$tmp/codes" "$tmp/man"

# docs/migration.md, section "Exit codes": the rows "| CODE | MEANING | ..."
awk '
	/^## / { ins = ($0 == "## Exit codes"); next }
	ins && /^\| *[0-9]+ *\|/ {
		split($0, c, "|")
		gsub(/^ +| +$/, "", c[2]); gsub(/^ +| +$/, "", c[3])
		print c[2] "\t" c[3]
	}
' "$doc" > "$tmp/doc"
same "exit codes: $doc (Exit codes) gives every code of $def with its meaning, and no other" \
	"$doc" "$tmp/codes" "$tmp/doc"

# migrate-once's header: the lines "#   CODE  MEANING"
sed -n 's/^#   \([0-9][0-9]*\)  \(.*\)$/\1\t\2/p' "$once" > "$tmp/once"
same "exit codes: $once (its header) gives every code of $def with its meaning, and no other" \
	"$once" "$tmp/codes" "$tmp/once"

# its hint(): one case per code that it can get from a failed run (all but 0)
awk '
	/^hint\(\) \{/ { inh = 1; next }
	inh && /^\}/ { inh = 0 }
	inh && /^[[:blank:]]*[0-9]+\)/ { sub(/^[[:blank:]]*/, ""); sub(/\).*/, ""); print }
' "$once" > "$tmp/hints"
awk -F '\t' '$1 != 0 { print $1 }' "$tmp/codes" > "$tmp/failcodes"
same "exit codes: $once has a hint for every non-zero code of $def, and for no other" \
	"$once hint()" "$tmp/failcodes" "$tmp/hints"

# Its own codes (exit N in the script): 0 and 1 mean what the tool's do
# (done; a usage or configuration error), 128+N is a signal; any other may
# not be one of the tool's, or a caller could not tell them apart.
own=$(grep -oE "exit [0-9]+" "$once" | awk '$2 > 1 && $2 < 128 { print $2 }' | sort -un)
clash=$(for c in $own; do cut -f1 "$tmp/codes" | grep -qx "$c" && printf '%s ' "$c"; done)
if [ -z "$clash" ]; then
	ok "exit codes: $once's own codes (${own:-none}) are none of the tool's"
else
	notok "exit codes: $once's own codes clash with $def: ${clash% }"
fi

# --- progress markers ------------------------------------------------------

# what a test reads: the markers, one per line
sed -n 's/^TI_STEP([0-9]*, *"\(.*\)").*/\1/p' "$steps" > "$tmp/markers"
sed -n 's/^TI_STEP(\([0-9][0-9]*\), *"\([^"\\]*\)")$/\1/p' "$steps" > "$tmp/stepnums"
n=$(wc -l < "$tmp/markers")
why=
if [ "$n" -lt 2 ]; then
	why="fewer than two TI_STEP lines"
elif [ "$(grep -c '^TI_STEP' "$steps")" -ne "$n" ] || [ "$(wc -l < "$tmp/stepnums")" -ne "$n" ]; then
	why="a TI_STEP line not of the form TI_STEP(N, \"marker\")"
elif [ "$(tr '\n' ' ' < "$tmp/stepnums")" != "$(seq -s ' ' 1 "$n") " ]; then
	why="steps not numbered 1 to $n in order"
elif [ "$(head -n -1 "$tmp/markers" | grep -cE '^step [0-9]+: ')" -ne $((n - 1)) ]; then
	why="a marker before the last that does not start with \"step N: \""
elif ! tail -n 1 "$tmp/markers" | grep -q '^trusted-import-migrate: '; then
	why="the last marker does not start with \"trusted-import-migrate: \""
fi
if [ -z "$why" ]; then
	ok "step markers: $steps is well formed ($n markers, the last a whole line)"
else
	notok "step markers: $steps is well formed: $why"
fi

# The manual page names every step (DESCRIPTION: .B "step N: ...") and the
# last line.
{
	grep -E '^\.B "step [0-9]+: .*"$' "$man" | sed 's/^\.B "\(.*\)"$/\1/'
	last=$(tail -n 1 "$tmp/markers")
	grep -qxF ".B \"$last\"" "$man" && echo "$last"
} > "$tmp/manmarkers"
same "step markers: $man names every marker of $steps, in order, and no other step" \
	"$man" "$tmp/markers" "$tmp/manmarkers"

# msg.c prints them so: a tiny program runs msg_step() and msg_done() with
# --verbose. It needs keyutils.h (libkeyutils-dev, a tests/deps.sh package),
# as the tool does.
cat > "$tmp/steps.c" <<'C'
#include <stdlib.h>
#include <string.h>
#include "migrate.h"

int main(int argc, char **argv)
{
	struct cfg cfg;
	int i, n = argc > 1 ? atoi(argv[1]) : 0;

	memset(&cfg, 0, sizeof(cfg));
	cfg.verbose = 1;
	msg_init(&cfg);
	for (i = 1; i < n; i++)
		msg_step(i);
	msg_done();
	return 0;
}
C
d="step markers: the tool prints every marker of $steps whole, in order"
if ! [ -f /usr/include/keyutils.h ]; then
	echo "ok - $d # SKIP no keyutils.h (libkeyutils-dev)"
elif ! "${CC:-cc}" -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -Itools/migrate -Iinclude \
	-o "$tmp/steps" "$tmp/steps.c" tools/migrate/msg.c 2> "$tmp/cc.err"; then
	notok "$d: does not compile"
	sed 's/^/#   /' "$tmp/cc.err"
else
	# each step line is the program's name and the marker; the last whole
	"$tmp/steps" "$n" 2>&1 >/dev/null | sed 's/^trusted-import-migrate: \(step \)/\1/' \
		> "$tmp/printed"
	same "$d" "what the tool printed" "$tmp/markers" "$tmp/printed"
fi
exit $rc
