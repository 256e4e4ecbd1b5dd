# SPDX-License-Identifier: GPL-2.0
# Guest-side test helpers. TAP lines go to the TAP channel, which carries
# nothing else, and to the console so that the log reads as a story. The
# channel is ttyS1 unless the kernel command line names another with ti_tap=
# (qemu.sh: hvc0, a virtio console, on arm64).
TAP=/dev/${ti_tap:-ttyS1}
. /ti/facts.sh
. /ti/rehmac.sh
KH=$TI_KH

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
randhex() { head -c "$1" /dev/urandom | tohex; }

# Hex of what comes in on stdin, in one line.
tohex() { od -An -v -tx1 | tr -d ' \n'; }

# Number of lines in the kernel log, to look at only what a step added.
klog_mark() { dmesg | wc -l; }
klog_since() { dmesg | tail -n "+$(($1 + 1))"; }

# Load what every test needs: dm-crypt and our module, through modprobe,
# so that the softdep and request_module("trusted") are exercised.
load_modules() {
	modprobe dm-crypt || nok "modprobe dm-crypt"
	modprobe trusted_import || nok "modprobe trusted_import"
}

# dm_open NAME KEY [CIPHER [DEVICE]]: a crypt mapping of DEVICE (/dev/vda),
# as /dev/mapper/NAME.
dm_open() {
	dmsetup create "$1" --table "0 $(blockdev --getsz "${4:-/dev/vda}") crypt ${3:-aes-xts-plain64} $2 0 ${4:-/dev/vda} 0" &&
		dmsetup mknodes "$1"
}
dm_close() { dmsetup remove "$1"; }

# sha256 of the first MiB of a device or file.
sum1m() { head -c 1048576 "$1" | sha256sum | cut -d' ' -f1; }

# Hex of a file's bytes.
filehex() { tohex < "$1"; }

# The field tool, as a device runs it.
MIGRATE=/usr/sbin/trusted-import-migrate

# A device's boot scripts run without a session keyring of their own, so
# they search the user keyring through the user session keyring. The test
# runs in a session of its own: link @u into it to search the same way.
search_user_keyring() { keyctl link @u @s >/dev/null; }

# fill_vol NAME KEYREF DEVICE SUMFILE: 1 MiB of random data through a crypt
# mapping keyed KEYREF, its checksum into SUMFILE.
fill_vol() {
	if dm_open "$1" "$2" aes-xts-plain64 "$3"; then
		head -c 1048576 /dev/urandom > "/dev/mapper/$1"
		sum1m "/dev/mapper/$1" > "$4"
		dm_close "$1"
		ok "$1: written through $(keyref_name "$2")"
	else
		nok "$1: written through $(keyref_name "$2")"
	fi
}

# legacy_volume: where the migration stories start: a dm-crypt volume on
# /dev/vda keyed with a plaintext 64-byte key in /tmp/volume.key, with
# 1 MiB of data written through it; its checksum in $sum
legacy_volume() {
	note "story: the device has a dm-crypt volume whose 64-byte key sits in a file"
	randhex 64 > /tmp/volume.key
	dm_open vol "$(cat /tmp/volume.key)"
	head -c 1048576 /dev/urandom > /tmp/data
	dd if=/tmp/data of=/dev/mapper/vol bs=64k conv=fsync 2>/dev/null
	sum=$(sum1m /dev/mapper/vol)
	dm_close vol
	check "boot 1: data written, checksum $sum" test "$sum" = "$(sum1m /tmp/data)"
	rm -f /tmp/data
}

# import_master RING OPTS: the master of the encrypted keys: 32 random
# bytes imported with OPTS, the blob ($tblob) loaded by the stock type as
# trusted key kmk in RING; fails when the import does
import_master() {
	if ! mid=$(printf 'import %s %s' "$(randhex 32)" "$2" | keyctl padd trusted-import kmk-import @s 2>/tmp/err); then
		nok "import of the master key: $(cat /tmp/err)"
		return 1
	fi
	tblob=$(keyctl pipe "$mid")
	keyctl unlink "$mid" @s >/dev/null
	check "the stock trusted type loads the master's blob as kmk" \
		sh -c "keyctl add trusted kmk 'load $tblob $2' $1 >/dev/null"
}

# memscan_now DEVICE TYPES: once the test has dropped its own copies, flush
# DEVICE's page cache (it carried the key), let the key garbage collector
# run, check that no key of TYPES (an ERE of /proc/keys type columns) is
# left, and let the host scan guest RAM (qemu.sh --memscan)
memscan_now() {
	blockdev --flushbufs "$1"
	sync
	echo 3 > /proc/sys/vm/drop_caches
	sleep 3
	check "no key of the migration is left" sh -c "! grep -qE ' ($2) ' /proc/keys"
	tap_raw "TI-MEMSCAN"
	# the host stops the VM, saves its RAM and lets it go on
	sleep 30
}

# How many encrypted-import keys exist: /proc/keys cuts type names to 9
# columns, where ours reads "encrypted" like the stock type's, so each of
# those is asked for its full type.
enc_import_keys() {
	for id in $(awk '$8 == "encrypted" { print $1 }' /proc/keys); do
		keyctl rdescribe "$((0x$id))" 2>/dev/null | cut -d';' -f1
	done | grep -c '^encrypted-import$'
}

# A dm-crypt key as a test may name it: a key reference, never hex.
keyref_name() { case $1 in :*) echo "$1" ;; *) echo "a hex key" ;; esac; }

# open_sum DESC NAME KEYREF DEVICE SUMFILE: the volume opens with KEYREF
# and its checksum matches SUMFILE.
open_sum() {
	if dm_open "$2" "$3" aes-xts-plain64 "$4"; then
		check "$1: $2 opens with $(keyref_name "$3"), checksum matches" \
			test "$(sum1m "/dev/mapper/$2")" = "$(cat "$5")"
		dm_close "$2"
	else
		nok "$1: $2 opens with $(keyref_name "$3")"
	fi
}

# same_bytes DESC HEX NAME: the trusted key NAME holds HEX's bytes, shown
# where dm-crypt cannot take trusted keys (5.10): an encrypted key made under
# those bytes, re-keyed to trusted:NAME (rehmac.sh), loads only under the
# same bytes
same_bytes() {
	echo "$2" | xxd -r -p > /tmp/mk
	keyctl padd user "mk_$3" @s < /tmp/mk >/dev/null &&
		eid=$(keyctl add encrypted "eu_$3" "new user:mk_$3 32" @s) &&
		keyctl pipe "$eid" > /tmp/eu.blob &&
		rehmac /tmp/eu.blob "trusted:$3" /tmp/mk > /tmp/et.blob
	rm -f /tmp/mk
	check "$1: an encrypted key made under the plaintext bytes loads under the loaded trusted key" \
		sh -c "keyctl add encrypted 'et_$3' \"load \$(cat /tmp/et.blob)\" @s >/dev/null"
}

# import_load NAME LEN IMPORT-OPTS LOAD-OPTS: LEN random bytes (hex) imported
# with IMPORT-OPTS as trusted-import key i_NAME, its blob ($blob) loaded by
# the stock type as trusted key NAME with LOAD-OPTS, and the bytes compared
# (same_bytes); fails, with blob empty, when the import fails
import_load() {
	hex=$(randhex "$2") blob=
	if ! id=$(printf 'import %s %s' "$hex" "$3" | keyctl padd trusted-import "i_$1" @s 2>/tmp/err); then
		nok "$1: import of $2 bytes with '$3': $(cat /tmp/err)"
		return 1
	fi
	ok "$1: import of $2 bytes with '$3' (verified in the module)"
	blob=$(keyctl pipe "$id")
	if keyctl add trusted "$1" "load $blob $4" @s >/dev/null 2>/tmp/err; then
		ok "$1: the stock type loads the blob"
		same_bytes "$1" "$hex" "$1"
	else
		nok "$1: the stock type loads the blob: $(cat /tmp/err)"
	fi
}

# update_reseals KEY UPDATE-OPTS LOAD-OPTS: keyctl update of trusted-import
# key i_KEY with UPDATE-OPTS makes a new blob ($new), which the stock type
# loads as trusted key upd with LOAD-OPTS
update_reseals() {
	id=$(keyctl search @s trusted-import "i_$1")
	old=$(keyctl pipe "$id")
	check "update: keyctl update reseals" keyctl update "$id" "update $2"
	new=$(keyctl pipe "$id")
	check "update: the blob changed" test "$old" != "$new"
	check "update: the new blob loads" \
		sh -c "keyctl add trusted upd 'load $new $3' @s >/dev/null"
}
