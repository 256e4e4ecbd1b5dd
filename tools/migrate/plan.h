/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TI_PLAN_H
#define TI_PLAN_H

#include "blobfile.h"
#include "migrate.h"

struct plan_state {
	int blob_present;
	int stale_tmp;		/* .BASE.tmp.* files a run would remove */
	int stale_maps;		/* ti-migrate-* mappings a run would remove */
};

/*
 * --dry-run: print what a run would do, on stdout, and return the exit
 * code that run would most likely have (0, 2 or 5). Changes nothing.
 */
int plan_print(const struct cfg *cfg, struct blobfile *b,
	       const struct oldkey *ok, const struct plan_state *ps);

/* The options as they may be shown: secrets (keyauth=, blobauth=) masked. */
void plan_mask_opts(const char *opts, char *out, size_t cap);

#endif /* TI_PLAN_H */
