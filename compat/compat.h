/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where kernel versions differ for this module. What a
 * kernel has is decided by compile probes (compat/conftest.sh, run by
 * Kbuild against the target tree's own headers), never by its version
 * number, so distro backports are judged by what they contain.
 */
#ifndef TI_COMPAT_H
#define TI_COMPAT_H

#include <linux/key-type.h>
#include <linux/types.h>
#ifdef HAVE_LINUX_HEX_H
#include <linux/hex.h>		/* bin2hex(); in <linux/kernel.h> before */
#endif

/* The description a refused ->preparse can name in its audit record. */
static inline const char *
ti_prep_description(const struct key_preparsed_payload *prep)
{
#ifdef HAVE_PREP_ORIG_DESCRIPTION
	return prep->orig_description;
#else
	return NULL;
#endif
}

struct ti_sealer;

/*
 * TI_TPM2_SEALER says who seals for a TPM 2.0 chip, for modinfo's
 * tpm2_sealer field (main.c); Kbuild builds src/tpm2_legacy.c on the same
 * probe.
 */
#ifdef HAVE_TRUSTED_KEY_OPS
/* 5.13 and later: the stock update path seals with every backend. */
#define TI_TPM2_SEALER	"stock"

static inline const struct ti_sealer *ti_legacy_sealer(void)
{
	return NULL;
}
#else
/*
 * Before 5.13 the stock update path always seals with TPM 1.2 commands, so
 * on a TPM 2.0 chip src/tpm2_legacy.c seals in the format the stock load of
 * that era reads (TPM2B_PRIVATE || TPM2B_PUBLIC, migratable byte appended to
 * the sealed data), through exported TPM driver calls only. On TPM 1.2 it
 * hands the stock path the options that path honours.
 */
#define TI_TPM2_SEALER	"module"

/* The sealer for the default chip: never NULL. */
const struct ti_sealer *ti_legacy_sealer(void);
#endif

#endif /* TI_COMPAT_H */
