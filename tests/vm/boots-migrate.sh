# SPDX-License-Identifier: GPL-2.0
# The guest boots of trusted-import-migrate (docs/migration.md), sourced by
# tests/run.sh, which provides boot, run_boot, want, mkfs_img, fail, $out.

# the tool alone: usage, exit codes, dry run, re-runs
# (/dev/vda a dm-crypt volume, /dev/vdb ext4 for key files and blobs)
if want migtool; then
	"$TI_ROOT/tests/vm/tpm.sh" "$out/tpm-migtool" || fail "swtpm provisioning"
	truncate -s 16M "$out/migtool-vol.img"
	mkfs_img "$out/migtool-fs.img" 16M
	boot migtool migtool --tpm "$out/tpm-migtool" --disk "$out/migtool-vol.img" \
		--disk "$out/migtool-fs.img"
fi

# Scenarios 1-4: one device (one TPM, one set of disks), three boots, then
# a TPM-less machine recovering scenario 4's volume from escrow.
if want field; then
	f=$out/field
	mkdir -p "$f"
	"$TI_ROOT/tests/vm/tpm.sh" "$f/tpm" || fail "swtpm provisioning"
	for v in vol1 vol2 vol3 vol4; do truncate -s 16M "$f/$v.img"; done
	mkfs_img "$f/data.img" 16M

	# the factory: a per-device key, escrowed to a public key whose private
	# half stays off the line; the device gets the plaintext once
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$f/escrow.key" 2>/dev/null
	openssl pkey -in "$f/escrow.key" -pubout -out "$f/escrow.pub"
	head -c 64 /dev/urandom > "$f/device.key"
	openssl pkeyutl -encrypt -pubin -inkey "$f/escrow.pub" -pkeyopt rsa_padding_mode:oaep \
		-pkeyopt rsa_oaep_md:sha256 -in "$f/device.key" -out "$f/device.key.escrow"
	cp "$f/device.key" "$f/provision.img"
	truncate -s 64K "$f/provision.img"
	rm -f "$f/device.key"

	run_boot field-boot1 field1 --tpm "$f/tpm" --disk "$f/vol1.img" --disk "$f/data.img" \
		--disk "$f/vol3.img" --disk "$f/vol4.img" --disk "$f/provision.img"

	# scenario 2: the legacy key; the host scans guest RAM for it afterwards
	head -c 64 /dev/urandom > "$f/legacy.img"
	legacy=$(tohex < "$f/legacy.img")
	truncate -s 64K "$f/legacy.img"
	run_boot field-logon logon --tpm "$f/tpm" --disk "$f/vol2.img" --disk "$f/data.img" \
		--disk "$f/legacy.img" --append init_on_free=1 --memscan "$legacy"
	rm -f "$f/legacy.img"
	legacy=""

	run_boot field-boot2 field2 --tpm "$f/tpm" --disk "$f/vol1.img" --disk "$f/data.img" \
		--disk "$f/vol3.img" --disk "$f/vol4.img" --disk "$f/vol2.img"

	# recovery from escrow, on a machine without the device's TPM
	openssl pkeyutl -decrypt -inkey "$f/escrow.key" -pkeyopt rsa_padding_mode:oaep \
		-pkeyopt rsa_oaep_md:sha256 -in "$f/device.key.escrow" -out "$f/recovered.img"
	truncate -s 64K "$f/recovered.img"
	run_boot field-recovery recovery --disk "$f/vol4.img" --disk "$f/data.img" \
		--disk "$f/recovered.img"
	rm -f "$f/recovered.img" "$f/provision.img"
fi

# Power cuts: each boot checks what the last cut left, re-runs the tool to
# completion, puts the old state back and is cut at the next point: after
# each of the tool's progress markers, at several delays: TI_POWERCUTS
# points (default 5, every marker once, which keeps the whole matrix
# inside CI's time from a cold cache; make check-migrate runs all 20).
if want powercut; then
	pc_points=()
	for delay in 0 0.8 0.3 1.5; do
		for m in "step 1: import" "step 2: write blob" "step 3: reload and check" \
			"step 4: destroy old key" "trusted-import-migrate: done"; do
			pc_points+=("$m|$delay")
		done
	done
	"$TI_ROOT/tests/vm/tpm.sh" "$out/tpm-pc" || fail "swtpm provisioning"
	truncate -s 16M "$out/pc-vol.img"
	mkfs_img "$out/pc-fs.img" 16M
	head -c 64 /dev/urandom > "$out/pc-vault.img"
	truncate -s 64K "$out/pc-vault.img"
	pcdisks=(--disk "$out/pc-vol.img" --disk "$out/pc-fs.img" --disk "$out/pc-vault.img")
	n=0
	for p in "${pc_points[@]:0:${TI_POWERCUTS:-5}}"; do
		n=$((n + 1))
		run_boot "powercut-$n" powercut --tpm "$out/tpm-pc" "${pcdisks[@]}" \
			--append ti_pc=arm --power-cut "${p%|*}" "${p#*|}"
	done
	run_boot powercut-final powercut --tpm "$out/tpm-pc" "${pcdisks[@]}"
fi
