# SPDX-License-Identifier: GPL-2.0
# Boot with a TPM 2.0: round trips, update, errors, and a clean log.
# Sourced by /init inside its own session keyring, with lib.sh loaded.

load_modules
check "trusted_import is loaded" test -d /sys/module/trusted_import
check "stock trusted module was pulled in" test -d /sys/module/trusted

# --- round trips: import, pipe, load with the stock type, compare through
# dm-crypt against the plaintext key. 100 bytes fit no aes-xts key, so that
# size uses two 50-byte blowfish keys.
head -c 1048576 /dev/urandom > /tmp/pattern
want=$(sum1m /tmp/pattern)
for n in 32 64 100; do
	cipher=aes-xts-plain64
	[ "$n" = 100 ] && cipher=blowfish:2-cbc-plain64
	hex=$(randhex "$n")
	id=$(printf 'import %s %s' "$hex" "$KH" | keyctl padd trusted-import "imp$n" @s)
	if [ -z "$id" ]; then
		nok "import of a $n-byte key"
		continue
	fi
	ok "import of a $n-byte key"
	check "$n: keyctl show lists a trusted-import key" sh -c "keyctl show @s | grep -q 'trusted-import: imp$n'"
	blob=$(keyctl pipe "$id")
	check "$n: keyctl pipe gives a hex blob" sh -c "echo '$blob' | grep -qE '^([0-9a-f]{2})+\$'"
	check "$n: keyctl print equals keyctl pipe" test "$(keyctl print "$id")" = "$blob"
	check "$n: stock trusted type loads the blob" \
		sh -c "keyctl add trusted 'stock$n' 'load $blob $KH' @s >/dev/null"

	dm_open "hex$n" "$hex" "$cipher" && dd if=/tmp/pattern of="/dev/mapper/hex$n" bs=64k conv=fsync 2>/dev/null
	dm_close "hex$n"
	dm_open "tk$n" ":$n:trusted:stock$n" "$cipher"
	check "$n: trusted-keyed mapping shows the plaintext written with the hex key" \
		test "$(sum1m "/dev/mapper/tk$n")" = "$want"
	dm_close "tk$n"
	# the same key but for its last byte must not decrypt
	last=$(echo "$hex" | tail -c 3)
	flip=$(printf '%02x' $(((0x$last ^ 1) & 255)))
	other=$(echo "$hex" | head -c $((2 * n - 2)))$flip
	dm_open "other$n" "$other" "$cipher"
	check "$n: a key one byte off shows different plaintext" \
		test "$(sum1m "/dev/mapper/other$n")" != "$want"
	dm_close "other$n"
done

# --- keyctl update reseals with the stock semantics
hex=$(randhex 64)
id=$(printf 'import %s %s\n' "$hex" "$KH" | keyctl padd trusted-import upd @s)
blob1=$(keyctl pipe "$id")
check "update: keyctl update reseals" keyctl update "$id" "update $KH"
blob2=$(keyctl pipe "$id")
check "update: the blob changed" test "$blob1" != "$blob2"
dm_open upd "$hex" && dd if=/tmp/pattern of=/dev/mapper/upd bs=64k conv=fsync 2>/dev/null
dm_close upd
check "update: the new blob loads" sh -c "keyctl add trusted upd2 'load $blob2 $KH' @s >/dev/null"
dm_open upd2 ":64:trusted:upd2"
check "update: the new blob opens the volume" test "$(sum1m /dev/mapper/upd2)" = "$want"
dm_close upd2
check "update: the old blob still loads" sh -c "keyctl add trusted upd1 'load $blob1 $KH' @s >/dev/null"

# migratable=0 is passed to the backend: the stock update then refuses
id=$(printf 'import %s %s migratable=0' "$(randhex 32)" "$KH" | keyctl padd trusted-import nomig @s)
check "migratable=0 import succeeds" test -n "$id"
expect_err "update of a migratable=0 key: EPERM" "$EPERM" keyctl update "$id" "update $KH"

. /ti/errors.sh

# Leave a key of ours where it outlives this session, for the epilogue's
# rmmod-with-live-keys check.
check "a key of ours stays live in @u" \
	sh -c "printf 'import %s %s' '$(randhex 48)' '$KH' | keyctl padd trusted-import live @u >/dev/null"
check "the live key shows in /proc/keys" grep -q ' trusted-i .*live' /proc/keys

. /ti/importkey.sh
. /ti/security.sh
