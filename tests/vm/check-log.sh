#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fail, printing the offending lines, when a guest's kernel log shows any
# sign of trouble. Usage: check-log.sh CONSOLE_LOG
set -euo pipefail
pattern='BUG:|WARNING:|KASAN|Oops|suspected memory leak|unreferenced object|Call Trace|Kernel panic|INFO: |general protection fault'
if grep -aE "$pattern" "$1"; then
	exit 1
fi
exit 0
