/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TI_IMPORT_H
#define TI_IMPORT_H

#include "migrate.h"
#include "session.h"

/*
 * Step 1: import the old key as a trusted-import (or encrypted-import) key
 * NAME in the private
 * session keyring, with in-kernel verification, and read its blob (hex,
 * NUL-terminated, malloc'ed) into *blob. The imported key is revoked
 * afterwards. 0, or EX_IMPORT after printing why.
 */
int import_key(const struct cfg *cfg, struct session *s,
	       const struct oldkey *ok, char **blob, size_t *blob_len);

/*
 * Step 3: load the blob with the stock trusted (or encrypted) type as key
 * desc into the private session keyring, with the options minus pcrlock=.
 * The key's serial, or -errno.
 */
long import_reload(const struct cfg *cfg, struct session *s, const char *desc,
		   const char *blob, size_t blob_len);

#endif /* TI_IMPORT_H */
