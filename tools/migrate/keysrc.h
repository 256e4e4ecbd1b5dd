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

/* The lengths the new key takes, in bytes: its stock type's limits. */
void keysrc_len_range(const struct cfg *cfg, size_t *min, size_t *max);

/*
 * Whether --from-key names the new key itself: an encrypted key migrated
 * to an encrypted key of the same description (an eCryptfs key keeps its
 * signature). The two then differ only by their master.
 */
int keysrc_same_name(const struct cfg *cfg);

/*
 * For keysrc_same_name(), once a blob exists: whether the key found may be
 * the new one (its master is --master, or cannot be told), which must then
 * not be taken for the old key and destroyed.
 */
int keysrc_maybe_new(const struct cfg *cfg, key_serial_t serial);

/* Wipe the key bytes. */
void keysrc_wipe(struct oldkey *ok);

#endif /* TI_KEYSRC_H */
