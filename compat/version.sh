#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The package version: PACKAGE_VERSION of dkms.conf, the one place it is
# written. Kbuild, the Makefiles and the test scripts all ask this script
# rather than parse dkms.conf themselves. It lives in compat/ because that
# directory is part of the DKMS source tree (the Makefile's DKMS_FILES), so
# a tree copied to /usr/src/trusted-import-VERSION can still run it.
# Prints the version and exits 0; prints nothing on stdout and exits 1 when
# dkms.conf has no usable PACKAGE_VERSION.
# Usage: version.sh [DKMS_CONF]   (default: dkms.conf next to compat/)
conf=${1:-$(dirname "$0")/../dkms.conf}

if [ ! -r "$conf" ]; then
	echo "version.sh: cannot read $conf" >&2
	exit 1
fi
v=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$conf" | sed -n 1p)
# It ends up in /usr/src paths and in a C string (-DTI_VERSION): only
# plain version characters.
case $v in
'' | *[!A-Za-z0-9.+~_-]*)
	echo "version.sh: no PACKAGE_VERSION=\"...\" of plain version characters in $conf" >&2
	exit 1
	;;
esac
printf '%s\n' "$v"
