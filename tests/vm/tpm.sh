#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Provision a swtpm state directory the way a device is provisioned.
# TPM 2.0 (default): an endorsement key, then a persistent RSA-2048 storage
# key at 0x81000001, made with tpm2-tools over swtpm's socket.
# TPM 1.2 (--tpm12): ownership taken with the well-known owner and SRK
# secrets; the SRK is the stock type's default keyhandle 0x40000000, but
# swtpm 0.7 makes its secret SHA-1 of 20 zero bytes, not the 20 zero bytes
# the stock type assumes: pass $TI_SRK_KEYAUTH (tests/vm/guest/facts.sh).
# --auth-parent (TPM 2.0 only): the same storage key once more at
# 0x81000002 (same template, so the same key pair), but with the
# authorization value 7469706172656e74617574682d30303030303031 (the 20
# bytes "tiparentauth-0000001"), for keyauth=: the stock type sends keyauth=
# as a 20-byte password. It ends in a non-zero byte because the TPM drops
# an auth value's trailing zeros.
# Usage: tpm.sh STATE_DIR [--tpm12 | --auth-parent]
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

state=$1
shift
tpm12=0 auth_parent=0
for a in "$@"; do
	case $a in
	--tpm12) tpm12=1 ;;
	--auth-parent) auth_parent=1 ;;
	*) die "tpm.sh: unknown option $a" ;;
	esac
done
[ "$tpm12$auth_parent" != 11 ] || die "tpm.sh: --auth-parent is for TPM 2.0 only"
rm -rf "$state"
mkdir -p "$state"
if [ "$tpm12" = 1 ]; then
	swtpm_setup --tpmstate "$state" --createek --take-ownership \
		--srk-well-known --owner-well-known --overwrite >"$state/setup.log" 2>&1 ||
		{ cat "$state/setup.log" >&2; die "swtpm_setup (TPM 1.2) failed"; }
	exit 0
fi
swtpm_setup --tpm2 --tpmstate "$state" --createek --overwrite >"$state/setup.log" 2>&1 ||
	{ cat "$state/setup.log" >&2; die "swtpm_setup failed"; }

swtpm socket --tpm2 --tpmstate dir="$state" \
	--server type=unixio,path="$state/s" --ctrl type=unixio,path="$state/s.ctrl" \
	--flags not-need-init,startup-clear --log file="$state/provision.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -S "$state/s" ] && break; sleep 0.1; done
export TPM2TOOLS_TCTI="swtpm:path=$state/s"
tpm2_createprimary -Q -C o -G rsa2048 -c "$state/primary.ctx"
tpm2_evictcontrol -Q -C o -c "$state/primary.ctx" 0x81000001 >/dev/null
# not piped into grep -q: an early exit would SIGPIPE tpm2_getcap (pipefail)
handles=$(tpm2_getcap handles-persistent)
case $handles in *0x81000001*) ;; *) die "no persistent key at 0x81000001" ;; esac
rm -f "$state/primary.ctx"
if [ "$auth_parent" = 1 ]; then
	# no resource manager here: the first key's transient copy still
	# takes an object slot
	tpm2_flushcontext -t
	tpm2_createprimary -Q -C o -G rsa2048 -p hex:7469706172656e74617574682d30303030303031 \
		-c "$state/primary2.ctx"
	tpm2_evictcontrol -Q -C o -c "$state/primary2.ctx" 0x81000002 >/dev/null
	handles=$(tpm2_getcap handles-persistent)
	case $handles in *0x81000002*) ;; *) die "no persistent key at 0x81000002" ;; esac
	rm -f "$state/primary2.ctx"
fi
# Every start after an unclean stop (power cut, killed QEMU) while a
# DA-protected object was in use counts as a failed authorization. The
# simulator allows 3 before lockout, when no sealed key can be unsealed;
# discrete TPMs allow about 32, which is what the power-cut test needs.
tpm2_dictionarylockout -Q --setup-parameters --max-tries=32 \
	--recovery-time=600 --lockout-recovery-time=600
# SIGTERM makes swtpm send itself TPM2_Shutdown and save its state.
kill -TERM $pid
wait $pid || true
trap - EXIT
