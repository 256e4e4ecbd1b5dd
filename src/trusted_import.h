/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared by the module's own source files. */
#ifndef TRUSTED_IMPORT_H
#define TRUSTED_IMPORT_H

#include <linux/key-type.h>
#include <linux/types.h>

/* main.c: module parameters */
extern bool ti_allow_unprivileged;

/* keytype.c: the "trusted-import" key type */
extern struct key_type ti_key_type;

/* stock.c: the stock "trusted" key type, taken with symbol_get() */
void ti_stock_load(void);
struct key_type *ti_stock_type(void);
long ti_stock_read(const struct key *key, char *buffer, size_t buflen);
void ti_stock_release(void);

/* seal.c: sealing through the stock type's own update path */
int ti_seal_import(struct key *key, const u8 *bytes, unsigned int len,
		   const char *opts);
int ti_seal_update(struct key *key, const char *opts);
void ti_payload_destroy(struct key *key);

#endif /* TRUSTED_IMPORT_H */
