# SPDX-License-Identifier: GPL-2.0
# The guest boots of the trusted-key backends (docs/backends.md):
#   tpm12                 TPM 1.2 (swtpm --tpm12, SRK 0x40000000): round
#                         trips of 32, 64 and 128-byte keys through
#                         dm-crypt, keyauth=, blobauth=, pcrinfo= (bound to
#                         the PCR now, and to a value it will have), pcrlock=,
#                         migratable= against the stock "new", update,
#                         refusals with their errno (t-tpm12.sh)
#   tpm12-migrate-boot1/2 TPM 1.2, the two-boot dm-crypt migration
#                         (t-migrate1.sh, t-migrate2.sh with ti_kopts=)
#   tpm2opts              TPM 2.0, the options that shape a blob: hash=,
#                         blobauth=, keyauth= under a parent with an auth
#                         value (tpm.sh --auth-parent), migratable=0,
#                         policydigest= loaded with a policyhandle= session
#                         (tests/vm/tools/ti_policy.c), pcrlock=, the key
#                         length limits (t-tpm2opts.sh); kernels 5.13 and
#                         later, where the stock update path seals TPM 2.0
# TI_BOOTS names them "tpm12" (all three TPM 1.2 boots) and "tpm2opts".
# Sourced by tests/suite.sh (kdir, out, run_boot, collect, want, add,
# fail); alone: TI_BOOTS="tpm12 tpm2opts" tests/suite.sh VERSION ARCH
# VARIANT OUT_DIR.
#
# The TPM 1.2 WARN: 6.12's tpm_buf_reset() (tpm-buf.c) WARNs on any tag
# but TPM_TAG_RQU_COMMAND and the TPM 2.0 ones, and trusted_tpm1.c's seal
# and unseal use TPM_TAG_RQU_AUTH1_COMMAND and TPM_TAG_RQU_AUTH2_COMMAND: one
# splat per seal, one per unseal, harmless otherwise (the command goes out
# as built). Debian's 6.12.117 and 7.3.4 both have it. On a kernel whose
# tpm-buf.c has that WARN_ON, a TPM 1.2 boot runs with panic_on_warn=0, and
# its "kernel log clean" result is redone on the console log without those
# splats: a splat is dropped only when its WARNING is tpm_buf_reset() in
# drivers/char/tpm/tpm-buf.c, its call trace passes through tpm_seal() or
# tpm_unseal(), and nothing else in it is a sign of trouble; everything
# else goes through check-log.sh as in every boot.

# tpm12_warns: this kernel's tpm_buf_reset() WARNs on the TPM 1.2 auth tags
tpm12_warns() {
	grep -qs 'WARN_ON(tag != TPM_TAG_RQU_COMMAND' "$kdir/drivers/char/tpm/tpm-buf.c"
}

# tpm12_log_check DIR: redo DIR's "kernel log clean" result without the
# known splats (DIR/console.known-warns.log has the rest, and
# DIR/known-warns their number)
tpm12_log_check() {
	local dir=$1 n bad line
	awk -v countfile="$dir/known-warns" '
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
		else if ($0 ~ /BUG:|WARNING:|KASAN|Oops|suspected memory leak|unreferenced object|Kernel panic|INFO: |general protection fault/)
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

# tpm12_boot NAME TEST [qemu.sh options]: a TPM 1.2 boot; on a kernel with
# the WARN, with panic_on_warn=0 (qemu.sh's own panic_on_warn=1 comes
# first on the command line; the last one counts) and the log check above
tpm12_boot() {
	local name=$1 test=$2
	shift 2
	if ! tpm12_warns; then
		run_boot "$name" "$test" --tpm12 "$@"
		return
	fi
	say "$name: panic_on_warn=0 (tpm_buf_reset() WARNs on TPM 1.2 seal and unseal)"
	boot_after=tpm12_log_check run_boot "$name" "$test" --tpm12 "$@" --append panic_on_warn=0
}

# the kernel release as a number, 5.13 -> 513
krel_num() {
	local r
	r=$(cat "$kdir/.ti-kernelrelease" 2>/dev/null || echo 0.0)
	r=${r%%-*}
	echo $(( ${r%%.*} * 100 + $(echo "$r" | cut -d. -f2) ))
}

backend_boots() {
	if want tpm12; then
		"$TI_ROOT/tests/vm/tpm.sh" "$out/tpm-tpm12" --tpm12 || fail "swtpm provisioning (TPM 1.2)"
		rm -f "$out/tpm12-a.img" "$out/tpm12-b.img"
		truncate -s 16M "$out/tpm12-a.img" "$out/tpm12-b.img"
		tpm12_boot tpm12 tpm12 --tpm "$out/tpm-tpm12" \
			--disk "$out/tpm12-a.img" --disk "$out/tpm12-b.img"

		"$TI_ROOT/tests/vm/tpm.sh" "$out/tpm-tpm12mig" --tpm12 || fail "swtpm provisioning (TPM 1.2)"
		rm -f "$out/tpm12-vol.img" "$out/tpm12-blob.img"
		truncate -s 32M "$out/tpm12-vol.img"
		truncate -s 1M "$out/tpm12-blob.img"
		# t-migrate1/2.sh's story under the SRK (tpm.sh --tpm12 says why
		# keyauth=)
		tpm12_boot tpm12-migrate-boot1 migrate1 --tpm "$out/tpm-tpm12mig" \
			--disk "$out/tpm12-vol.img" --disk "$out/tpm12-blob.img" \
			--append ti_kopts=keyauth=6768033e216468247bd031a0a2d9876d79818f8f
		tpm12_boot tpm12-migrate-boot2 migrate2 --tpm "$out/tpm-tpm12mig" \
			--disk "$out/tpm12-vol.img" --disk "$out/tpm12-blob.img" \
			--append ti_kopts=keyauth=6768033e216468247bd031a0a2d9876d79818f8f
	fi
	if want tpm2opts && [ "$(krel_num)" -ge 513 ]; then
		"$TI_ROOT/tests/vm/tpm.sh" "$out/tpm-tpm2opts" --auth-parent || fail "swtpm provisioning (TPM 2.0)"
		rm -f "$out/tpm2opts-a.img" "$out/tpm2opts-b.img"
		truncate -s 16M "$out/tpm2opts-a.img" "$out/tpm2opts-b.img"
		run_boot tpm2opts tpm2opts --tpm "$out/tpm-tpm2opts" \
			--disk "$out/tpm2opts-a.img" --disk "$out/tpm2opts-b.img"
	fi
}

backend_boots
