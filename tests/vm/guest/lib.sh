# SPDX-License-Identifier: GPL-2.0
# Guest-side test helpers. TAP lines go to ttyS1, which carries nothing else,
# and to the console so that the log reads as a story.
TAP=/dev/ttyS1
KH=keyhandle=0x81000001

tap_raw() { echo "$*" > "$TAP"; echo "$*"; }
ok() { tap_raw "ok - $*"; }
nok() { tap_raw "not ok - $*"; }
note() { tap_raw "# $*"; }

# check DESC CMD...: ok when CMD succeeds.
check() {
	d=$1
	shift
	if "$@"; then ok "$d"; else nok "$d"; fi
}

# expect_err DESC STRERROR CMD...: ok when CMD fails and its message names
# STRERROR (keyctl prints "add_key: Invalid argument").
expect_err() {
	d=$1
	want=$2
	shift 2
	if out=$("$@" 2>&1); then
		nok "$d (succeeded: $out)"
		return
	fi
	case $out in
	*"$want"*) ok "$d" ;;
	*) nok "$d (wanted '$want', got '$out')" ;;
	esac
}

# Hex of N random bytes.
randhex() { head -c "$1" /dev/urandom | od -An -v -tx1 | tr -d ' \n'; }

# Number of lines in the kernel log, to look at only what a step added.
klog_mark() { dmesg | wc -l; }
klog_since() { dmesg | tail -n "+$(($1 + 1))"; }

# Load what every test needs: dm-crypt and our module, through modprobe,
# so that the softdep and request_module("trusted") are exercised.
load_modules() {
	modprobe dm-crypt || nok "modprobe dm-crypt"
	modprobe trusted_import || nok "modprobe trusted_import"
}

# dm_open NAME KEY [CIPHER]: a crypt mapping of /dev/vda, as /dev/mapper/NAME.
dm_open() {
	dmsetup create "$1" --table "0 $(blockdev --getsz /dev/vda) crypt ${3:-aes-xts-plain64} $2 0 /dev/vda 0" &&
		dmsetup mknodes "$1"
}
dm_close() { dmsetup remove "$1"; }

# sha256 of the first MiB of a device or file.
sum1m() { head -c 1048576 "$1" | sha256sum | cut -d' ' -f1; }
