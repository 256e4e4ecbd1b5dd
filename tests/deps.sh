#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the build, the tests and the demo need.
# Does nothing when they are all present; uses sudo when not root.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

pkgs=(
	# building the module and the test kernel
	build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils kmod rsync
	"linux-source-$TI_KVER_DEFAULT" dkms sparse
	# the guest: initramfs contents
	busybox-static keyutils dmsetup util-linux python3
	# run.sh stops its background builds with pgrep
	procps
	# the key decoder's constant-time check (tests/unit/ct_hex.c)
	valgrind
	# trusted-import-migrate and its tests
	libkeyutils-dev e2fsprogs openssl
	# the legacy side of the eCryptfs boots: its auth tokens, made by
	# libecryptfs (tests/vm/ecryptfs-tokens.py)
	ecryptfs-utils
	# the virtual machine and its TPM
	qemu-system-x86 swtpm swtpm-tools tpm2-tools
	# the arm64 guest: cross compiler and libc for the kernel, the module
	# and the static guest tools; the virt machine; the keyring that
	# checks the arm64 packages fetched by tests/vm/sysroot-arm64.sh
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm
	debian-archive-keyring
	# the stock headers checks (tests/vm/distro-headers.sh): 6.12's kbuild
	# makes the module's BTF with pahole (linux-kbuild-6.12 depends on it);
	# the 7.3 headers build in a trixie root
	pahole mmdebstrap
)

missing=()
for p in "${pkgs[@]}"; do
	[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

say "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -qq
as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
