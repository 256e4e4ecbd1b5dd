# SPDX-License-Identifier: GPL-2.0
# rehmac BLOB NEW-MASTER MASTER-KEY-FILE: a test oracle, not a tool.
#
# Prints the stock encrypted key blob BLOB re-authenticated to name
# NEW-MASTER (trusted:NAME or user:NAME) instead of its own master, by
# recomputing its HMAC in shell from the master's bytes in MASTER-KEY-FILE:
# an implementation of the blob format independent of the kernel's. A test
# uses it to show that a trusted key holds given bytes where dm-crypt takes
# no trusted keys (5.10): the result loads only if NEW-MASTER's bytes are
# the file's. (Devices migrate encrypted keys with trusted-import-migrate
# --type encrypted, which lets the stock code make the blob.)
rehmac() (
	set -eu
	case $2 in
	trusted:?* | user:?*) ;;
	*) echo "rehmac: NEW-MASTER must be trusted:NAME or user:NAME" >&2; exit 1 ;;
	esac
	read -r fmt old len hex < "$1" || [ -n "${hex:-}" ]
	case $old in trusted:?* | user:?*) ;; *)
		echo "rehmac: $1 is not an encrypted key blob" >&2; exit 1 ;;
	esac
	# the last 32 bytes are the HMAC; iv and ciphertext stay as they are
	[ ${#hex} -gt 64 ] || { echo "rehmac: $1 is too short" >&2; exit 1; }
	body=$(printf %s "$hex" | cut -c1-$((${#hex} - 64)))

	sha256() { openssl dgst -sha256 -binary | xxd -p -c 64; }
	# pad HEXKEY BYTE: the 64-byte HMAC block of HEXKEY xor BYTE, in hex
	pad() {
		k=$1 i=0
		while [ $i -lt 64 ]; do
			b=${k%"${k#??}"}
			k=${k#??}
			printf '%02x' $((0x${b:-00} ^ $2))
			i=$((i + 1))
		done
	}
	# the kernel's HMAC key: sha256("AUTH_KEY\0" || master key)
	ak=$({ printf 'AUTH_KEY\0'; cat "$3"; } | sha256)
	# HMAC-SHA256 over "format\0master\0datalen\0" || iv || ciphertext
	inner=$({ pad "$ak" 0x36 | xxd -r -p; printf '%s\0%s\0%s\0' "$fmt" "$2" "$len"
		printf %s "$body" | xxd -r -p; } | sha256)
	mac=$({ pad "$ak" 0x5c | xxd -r -p; printf %s "$inner" | xxd -r -p; } | sha256)
	printf '%s %s %s %s%s\n' "$fmt" "$2" "$len" "$body" "$mac"
)
