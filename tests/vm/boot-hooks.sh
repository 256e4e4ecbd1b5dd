# SPDX-License-Identifier: GPL-2.0
# The host-side steps of the boots in tests/boots.conf that need more than
# a TPM and disks, named by its HOOK column. Sourced by tests/suite.sh,
# whose registry_boot calls them:
#   hook_NAME_before BOOT     before the boot; may add qemu.sh options to
#                             the array boot_opts and set boot_initrd; a
#                             failure (reported with fail) stops the boot
#   hook_NAME_after BOOT DIR  after it, before its results are collected
#   hook_NAME_run BOOT        in place of it: a series of boots, each run
#                             with registry_boot BOOT NAME [qemu.sh options]
# The boot's disks NAME:hook are $out/NAME.img, made here.

# memscan: the host makes the key and passes the payload on a disk; after
# the boot the host has scanned guest RAM for it (qemu.sh --memscan)
hook_memscan_before() {
	local key
	key=$(head -c 64 /dev/urandom | tohex)
	printf 'import %s %s\n' "$key" "$TI_KH" > "$out/mem.img"
	truncate -s 64K "$out/mem.img"
	boot_opts+=(--memscan "$key")
}
hook_memscan_after() { rm -f "$out/mem.img"; }

# tee: the OP-TEE stand-in (tests/tee/optee_double.c, docs/tee-double.md),
# built against this kernel once, in an initramfs of its own
hook_tee_before() {
	if [ -z "${tee_initrd:-}" ]; then
		local teeko
		if ! teeko=$("$TI_ROOT/tests/tee/build.sh" "$kdir" "$out/tee-double"); then
			fail "the OP-TEE stand-in builds against $krel"
			return 1
		fi
		if ! "$TI_ROOT/tests/vm/initramfs.sh" "$kdir" "$ko" "$out/initrd-tee.gz" "$teeko"; then
			fail "the initramfs with the OP-TEE stand-in"
			return 1
		fi
		echo "ok - the OP-TEE stand-in builds against $krel" | add tee
		tee_initrd=$out/initrd-tee.gz
	fi
	boot_initrd=$tee_initrd
}

# field: docs/migration.md's scenarios on one device. The factory makes a
# per-device key, escrowed to a public key whose private half stays off the
# line; the device gets the plaintext once.
hook_field_factory_before() {
	local f=$out/field
	mkdir -p "$f"
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$f/escrow.key" 2>/dev/null &&
		openssl pkey -in "$f/escrow.key" -pubout -out "$f/escrow.pub" &&
		head -c 64 /dev/urandom > "$f/device.key" &&
		openssl pkeyutl -encrypt -pubin -inkey "$f/escrow.pub" -pkeyopt rsa_padding_mode:oaep \
			-pkeyopt rsa_oaep_md:sha256 -in "$f/device.key" -out "$f/device.key.escrow" ||
		{ fail "field: the factory's escrow (openssl)"; return 1; }
	cp "$f/device.key" "$out/field-provision.img"
	truncate -s 64K "$out/field-provision.img"
	rm -f "$f/device.key"
}
hook_field_factory_after() { rm -f "$out/field-provision.img"; }
# scenario 2: the legacy key; the host scans guest RAM for it afterwards
hook_field_legacy_before() {
	head -c 64 /dev/urandom > "$out/field-legacy.img"
	boot_opts+=(--memscan "$(tohex < "$out/field-legacy.img")")
	truncate -s 64K "$out/field-legacy.img"
}
hook_field_legacy_after() { rm -f "$out/field-legacy.img"; }
# recovery from escrow, on a machine without the device's TPM
hook_field_recovery_before() {
	local f=$out/field
	openssl pkeyutl -decrypt -inkey "$f/escrow.key" -pkeyopt rsa_padding_mode:oaep \
		-pkeyopt rsa_oaep_md:sha256 -in "$f/device.key.escrow" -out "$out/field-recovered.img" ||
		{ fail "field: recovery from escrow (openssl)"; return 1; }
	truncate -s 64K "$out/field-recovered.img"
}
hook_field_recovery_after() { rm -f "$out/field-recovered.img"; }

# powercut: each boot checks what the last cut left, re-runs the tool to
# completion, puts the old state back and is cut at the next point: after
# each of the tool's progress markers, at several delays. TI_POWERCUTS
# points (5: every marker once; make check-migrate runs all 20), then a
# last boot that is not cut.
hook_powercut_run() {
	local delay m points=() n=0 p
	for delay in 0 0.8 0.3 1.5; do
		while IFS= read -r m; do
			points+=("$m|$delay")
		done < <(migrate_markers)
	done
	head -c 64 /dev/urandom > "$out/pc-vault.img"
	truncate -s 64K "$out/pc-vault.img"
	for p in "${points[@]:0:$TI_POWERCUTS}"; do
		n=$((n + 1))
		registry_boot "$1" "powercut-$n" --append ti_pc=arm --power-cut "${p%|*}" "${p#*|}"
	done
	registry_boot "$1" powercut-final
}

# legacy: tpm2-tools on the host load and unseal every blob t-legacy.sh
# wrote, against the same swtpm state, and must get key || migratable back
hook_legacy_after() {
	legacy_host_check "$out/tpm-legacy" "$out/legacy-blobs.img" > "$2/host.tap"
	add "$1" < "$2/host.tap"
	# the image holds test keys in the clear
	rm -f "$out/legacy-blobs.img"
}

# legacy_host_check STATE IMG: TAP lines for the blobs t-legacy.sh wrote
# to IMG, unsealed by tpm2-tools through swtpm on STATE
legacy_host_check() (
	set -u
	state=$1 img=$2 pid=""
	tmp=$(mktemp -d)
	sock=$(mktemp -u /tmp/ti-legacy.XXXXXX)
	# SIGTERM: swtpm shuts the TPM down and saves its state
	trap '[ -z "$pid" ] || { kill -TERM "$pid"; wait "$pid"; }; rm -rf "$tmp" "$sock" "$sock.ctrl"' EXIT
	if [ "$(head -n 1 "$img")" != TILEGACY1 ]; then
		echo "not ok - host: the guest wrote its blobs"
		exit 0
	fi
	swtpm socket --tpm2 --tpmstate dir="$state" \
		--server type=unixio,path="$sock" --ctrl type=unixio,path="$sock.ctrl" \
		--flags not-need-init,startup-clear --log file="$tmp/swtpm.log" &
	pid=$!
	for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
	export TPM2TOOLS_TCTI="swtpm:path=$sock"
	sed -n '2,/^END$/p' "$img" | sed '$d' > "$tmp/records"
	while read -r name parent pauth bauth key mig blob; do
		# TPM2B_PRIVATE || TPM2B_PUBLIC || what 5.10 keeps after them
		plen=$((16#${blob:0:4}))
		priv=${blob:0:$((4 + 2 * plen))}
		rest=${blob:$((4 + 2 * plen))}
		publen=$((16#${rest:0:4}))
		pub=${rest:0:$((4 + 2 * publen))}
		trail=$(((${#rest} - ${#pub}) / 2))
		xxd -r -p <<< "$priv" > "$tmp/priv"
		xxd -r -p <<< "$pub" > "$tmp/pub"
		pa=() auth=()
		[ "$pauth" = - ] || pa=(-P "hex:$pauth")
		case $bauth in
		-) ;;
		policy)
			# the policy t-legacy.sh sealed to: PolicyAuthValue
			tpm2_startauthsession -Q --policy-session -S "$tmp/s.ctx" &&
				tpm2_policyauthvalue -Q -S "$tmp/s.ctx" &&
				auth=(-p "session:$tmp/s.ctx") ;;
		*) auth=(-p "hex:$bauth") ;;
		esac
		got=none
		if tpm2_load -Q -C "$parent" "${pa[@]}" -u "$tmp/pub" -r "$tmp/priv" \
			-c "$tmp/obj.ctx" 2>"$tmp/err"; then
			got=$(tpm2_unseal -c "$tmp/obj.ctx" "${auth[@]}" 2>"$tmp/err" | xxd -p | tr -d '\n')
		fi
		tpm2_flushcontext -t >/dev/null 2>&1
		tpm2_flushcontext -l >/dev/null 2>&1
		if [ "$got" = "$key$mig" ]; then
			echo "ok - host: $name: tpm2_load under $parent and tpm2_unseal give the key and migratable byte $mig (${#key} hex digits + $mig; $trail bytes of creation data follow the public area)"
		else
			echo "not ok - host: $name: tpm2_unseal gives the key and migratable byte $mig (got ${got:0:16}..., $(tr '\n' ' ' < "$tmp/err"))"
		fi
	done < "$tmp/records"
	echo "ok - host: $(wc -l < "$tmp/records") blob(s) checked"
)

# Every TPM 1.2 boot (TPM column tpm12:...), on a kernel whose
# tpm_buf_reset() WARNs on each TPM 1.2 seal and unseal (docs/backends.md
# tells why): panic_on_warn=0 (qemu.sh's own panic_on_warn=1 comes first
# on the command line; the last one counts), and its "kernel log clean"
# result redone without exactly those splats.
tpm12_warns() {
	grep -qs 'WARN_ON(tag != TPM_TAG_RQU_COMMAND' "$kdir/drivers/char/tpm/tpm-buf.c"
}

# tpm12_log_check BOOT DIR: redo DIR's "kernel log clean" result without
# the known splats: a splat is dropped only when its WARNING is
# tpm_buf_reset() in drivers/char/tpm/tpm-buf.c, its call trace passes
# through tpm_seal() or tpm_unseal(), and nothing else in it is a sign of
# trouble (DIR/console.known-warns.log has the rest, DIR/known-warns their
# number); everything else goes through check-log.sh as in every boot
tpm12_log_check() {
	local dir=$2 n bad line
	awk -v countfile="$dir/known-warns" -v trouble="$TI_LOG_TROUBLE" '
	function keep(   i) { for (i = 0; i < nb; i++) print blk[i]; nb = 0 }
	/-+\[ cut here \]-+/ {
		if (inblk)
			keep()	# a block that never ended is nobody we know
		inblk = 1; nb = 0; known = 0; caller = 0; other = 0
	}
	inblk {
		blk[nb++] = $0
		if ($0 ~ /WARNING: CPU: [0-9]+ PID: [0-9]+ at drivers\/char\/tpm\/tpm-buf\.c:[0-9]+ tpm_buf_reset\+0x/)
			known++
		else if ($0 !~ /Call Trace/ && $0 ~ trouble)
			other = 1
		if ($0 ~ /[ \t](tpm_seal|tpm_unseal)\+0x/)
			caller = 1
		if ($0 ~ /---\[ end trace [0-9a-f]+ \]---/) {
			if (known == 1 && caller && !other)
				count++
			else
				keep()
			inblk = 0
		}
		next
	}
	{ print }
	END {
		if (inblk)
			keep()
		print count + 0 > countfile
	}' "$dir/console.log" > "$dir/console.known-warns.log"
	n=$(cat "$dir/known-warns")
	if bad=$("$TI_ROOT/tests/vm/check-log.sh" "$dir/console.known-warns.log"); then
		line="ok - kernel log clean but for $n known tpm_buf_reset() WARNs (TPM 1.2 seal and unseal)"
	else
		line="not ok - kernel log clean but for the known tpm_buf_reset() WARNs: $(echo "$bad" | head -n 3 | tr '\n' '|')"
	fi
	grep -vE '^(ok|not ok) - kernel log clean' "$dir/results.tap" > "$dir/results.tap.new"
	echo "$line" >> "$dir/results.tap.new"
	mv "$dir/results.tap.new" "$dir/results.tap"
}

# migrate_markers: the progress markers of trusted-import-migrate, one per
# line, in the order it prints them (the tool's own table)
migrate_markers() {
	sed -n 's/^TI_STEP([0-9]*, *"\(.*\)").*/\1/p' "$TI_ROOT/tools/migrate/steps.def"
}

# ecryptfs: the legacy side's two auth tokens, made of a passphrase by
# Debian's ecryptfs-utils on the host (tests/vm/ecryptfs-tokens.py); after
# the migration the host scans guest RAM for the data key's FEKEK (at 648
# in its token)
hook_ecryptfs_tokens_before() {
	python3 "$TI_ROOT/tests/vm/ecryptfs-tokens.py" "$(head -c 24 /dev/urandom | tohex)" \
		"$out/ecr-tokens.img" || { fail "ecryptfs: the auth tokens (libecryptfs)"; return 1; }
	boot_opts+=(--memscan "$(dd if="$out/ecr-tokens.img" bs=1 skip=648 count=64 2>/dev/null | tohex)")
	truncate -s 64K "$out/ecr-tokens.img"
}
hook_ecryptfs_tokens_after() { rm -f "$out/ecr-tokens.img"; }
