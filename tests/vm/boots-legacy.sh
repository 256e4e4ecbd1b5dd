# SPDX-License-Identifier: GPL-2.0
# Kernels before 5.13, where the module seals TPM 2.0 itself
# (src/tpm2_legacy.c, built only there: its log strings are in the .ko):
#   legacy         option variants, stock loads, parity with a stock "new",
#                  refusals (t-legacy.sh); then, on the host, tpm2-tools
#                  load and unseal every blob against the same swtpm state
#                  and must get key || migratable byte back
#   legacy-tpm12   TPM 1.2: imports still take the stock update path
#   legacy-enc1/2  an encrypted key on the imported master keys dm-crypt,
#                  across two boots
# Sourced by tests/suite.sh (kdir, ko, out, run_boot, collect, want, add,
# fail); alone: TI_BOOTS="legacy legacy-tpm12 legacy-enc" tests/suite.sh
# 5.10 x86_64 lean OUT_DIR.

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

legacy_boots() {
	if ! grep -qa 'TPM 2.0 seal: ' "$ko"; then
		# asked for by name (the 5.10 row), the path must be there
		skip_boots legacy "the module has no pre-5.13 TPM 2.0 path (a 5.13 or later kernel)"
		return 0
	fi
	if want legacy; then
		"$TI_ROOT/tests/vm/tpm.sh" "$out/tpm-legacy" --auth-parent || fail "swtpm provisioning"
		rm -f "$out/legacy-blobs.img"
		truncate -s 1M "$out/legacy-blobs.img"
		run_boot legacy legacy --tpm "$out/tpm-legacy" --disk "$out/legacy-blobs.img"
		legacy_host_check "$out/tpm-legacy" "$out/legacy-blobs.img" > "$out/legacy/host.tap"
		add legacy < "$out/legacy/host.tap"
		# the image holds test keys in the clear
		rm -f "$out/legacy-blobs.img"
	fi
	if want legacy-tpm12; then
		"$TI_ROOT/tests/vm/tpm.sh" "$out/tpm-legacy12" --tpm12 || fail "swtpm provisioning"
		run_boot legacy-tpm12 legacy12 --tpm "$out/tpm-legacy12" --tpm12
	fi
	if want legacy-enc; then
		"$TI_ROOT/tests/vm/tpm.sh" "$out/tpm-legacy-enc" || fail "swtpm provisioning"
		truncate -s 32M "$out/legacy-vol.img"
		truncate -s 1M "$out/legacy-enc.img"
		run_boot legacy-enc1 legacy-enc1 --tpm "$out/tpm-legacy-enc" \
			--disk "$out/legacy-vol.img" --disk "$out/legacy-enc.img"
		run_boot legacy-enc2 legacy-enc2 --tpm "$out/tpm-legacy-enc" \
			--disk "$out/legacy-vol.img" --disk "$out/legacy-enc.img"
	fi
}

legacy_boots
