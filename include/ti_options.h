/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stock trusted type's options: the one list of them, for the module
 * and for userspace (tests/unit, tests/fuzz). Define
 * TI_OPT(ID, name, flags) and include this file to expand it once per
 * option, in the way of the kernel's kvm-x86-ops.h; ti_request.h makes
 * enum ti_opt_id (TI_OPT_<ID>) and src/request.c ti_opt_info[] from it.
 *
 * Each option is handed to the stock code unchanged; every other name is
 * refused. The flags say where our own code treats one apart:
 *
 *   TI_OPTF_NO_VERIFY  dropped from verification's load: loading with
 *                      pcrlock= extends that PCR again, which would lock
 *                      the very blob just made
 *   TI_OPTF_LEGACY     known to the option parser of kernels before 5.13
 *                      (TPM 1.2 and TPM 2.0 alike): src/tpm2_legacy.c
 *                      takes these and, as 5.10 does, refuses the rest
 */
#ifndef TI_OPT
#error "define TI_OPT(ID, name, flags) before including ti_options.h"
#endif

TI_OPT(KEYHANDLE,	keyhandle,	TI_OPTF_LEGACY)
TI_OPT(KEYAUTH,		keyauth,	TI_OPTF_LEGACY)
TI_OPT(BLOBAUTH,	blobauth,	TI_OPTF_LEGACY)
TI_OPT(PCRINFO,		pcrinfo,	TI_OPTF_LEGACY)
TI_OPT(PCRLOCK,		pcrlock,	TI_OPTF_LEGACY | TI_OPTF_NO_VERIFY)
TI_OPT(MIGRATABLE,	migratable,	TI_OPTF_LEGACY)
TI_OPT(HASH,		hash,		TI_OPTF_LEGACY)
TI_OPT(POLICYDIGEST,	policydigest,	TI_OPTF_LEGACY)
TI_OPT(POLICYHANDLE,	policyhandle,	TI_OPTF_LEGACY)
TI_OPT(WRAP_FLAGS,	wrap_flags,	0)	/* PKWM, newest kernels */

#undef TI_OPT
