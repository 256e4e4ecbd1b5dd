/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TI_KEYSRC_H
#define TI_KEYSRC_H

#include "migrate.h"

/*
 * Find the old key. For a file, stdin or fd source read its bytes into
 * locked memory; for --from-key find its serial in the session keyring
 * sess (the caller's) or the user keyring. ok->present says whether it
 * exists. Returns 0, or EX_NOKEY after printing why it cannot be used.
 */
int keysrc_load(const struct cfg *cfg, key_serial_t sess, struct oldkey *ok);

/*
 * The length of a --from-key key's bytes, for the :LEN:TYPE:DESC of the
 * dm-crypt check: /proc/keys for user and logon keys, the key's own
 * (encrypted) blob for an encrypted key. >0, or -errno.
 */
long keysrc_kernel_len(const struct cfg *cfg, key_serial_t serial);

/* Wipe the key bytes. */
void keysrc_wipe(struct oldkey *ok);

#endif /* TI_KEYSRC_H */
