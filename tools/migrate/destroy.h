/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TI_DESTROY_H
#define TI_DESTROY_H

#include "migrate.h"
#include "session.h"

/*
 * Shred a key file: rename FILE to FILE.ti-shred, sync the directory,
 * overwrite it with zeros, sync, unlink, sync the directory. A run cut
 * short leaves FILE.ti-shred, which destroy_finish() completes. 0, or -1
 * (printed).
 */
int destroy_file(const char *path, const char *shred_path);
int destroy_finish(const char *shred_path);

/*
 * Revoke a kernel key, then unlink it from every keyring we can read that
 * holds it. 0, or -1 (printed) when it could not be revoked.
 */
int destroy_kernel_key(struct session *s, key_serial_t id, const char *what);

#endif /* TI_DESTROY_H */
