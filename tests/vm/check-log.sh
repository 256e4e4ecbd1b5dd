#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fail, printing the offending lines, when a guest's kernel log shows any
# sign of trouble. Usage: check-log.sh CONSOLE_LOG
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
if grep -aE "$TI_LOG_TROUBLE" "$1"; then
	exit 1
fi
exit 0
