/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared by the module's own source files, each of which
 * includes this header after its kernel headers.
 */
#ifndef TRUSTED_IMPORT_H
#define TRUSTED_IMPORT_H

#include <linux/key-type.h>
#include <linux/types.h>
#include <keys/trusted-type.h>

/*
 * <keys/trusted-type.h> sets pr_fmt to "trusted_key: ": our lines must
 * name us, so this is the one place that includes it and sets ours.
 */
#undef pr_fmt
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "compat.h"

/* main.c: module parameters */
extern bool ti_allow_unprivileged;
/* an import's hold on the off switch: 0, or -EPERM when it is off */
int ti_import_begin(void);
void ti_import_end(void);

/* keytype.c: the "trusted-import" and "encrypted-import" key types */
extern struct key_type ti_key_type;
extern struct key_type ti_enc_key_type;

/*
 * stock.c: the stock "trusted" key type, taken with symbol_get(), its
 * payloads, and the scratch keys that seal.c and verify.c hand its code
 */
void ti_stock_load(void);
bool ti_stock_registered(const struct key_type *kt);
struct key_type *ti_stock_type(void);
long ti_stock_read(const struct key *key, char *buffer, size_t buflen);
void ti_stock_release(void);
void ti_payload_destroy(struct key *key);
void ti_payload_drop(struct key *key);
struct key *ti_scratch_key(struct key_type *kt, const char *desc,
			   int subclass);
void ti_scratch_put(struct key *tmp);

/*
 * A way to seal the payload that @key holds (key bytes and migratable
 * flag set) into a blob in that payload; seal.c chooses one.
 */
struct ti_request;
struct ti_sealer {
	const char *name;
	/* with @req's stock options, as given or parsed (ti_request.h) */
	int (*seal)(struct key_type *kt, struct key *key,
		    const struct ti_request *req);
};

/* stock.c: "update <opts>" through the stock type's own update path */
extern const struct ti_sealer ti_stock_sealer;

/* seal.c: sealing with the sealer of this kernel, then verifying */
int ti_seal_import(struct key *key, const struct ti_request *req);
int ti_seal_update(struct key *key, const struct ti_request *req);

/*
 * enc.c: the stock "encrypted" type, and payloads of it built from the
 * user's bytes (the encrypted-import key type's)
 */
void ti_enc_load(void);
void ti_enc_release(void);
long ti_enc_read(const struct key *key, char *buffer, size_t buflen);
int ti_enc_import(struct key *key, const struct ti_request *req,
		  const char **why);
void ti_enc_lens(const void *payload, unsigned int *key_len,
		 unsigned int *blob_len);
/* an eCryptfs auth token's version field, as the stock code writes it */
#define TI_ECRYPTFS_VERSION	((ECRYPTFS_VERSION_MAJOR << 8) | ECRYPTFS_VERSION_MINOR)

/* keyref.c: import-key's source, read from ->preparse only */
int ti_keyref_read(struct ti_request *req, const char **why);

/* verify.c: load a fresh blob through the stock type and compare */
int ti_verify(struct key_type *kt, struct trusted_key_payload *sealed,
	      const struct ti_request *req);

/* audit.c: one record per import or update, never a key byte */
void ti_audit(const struct key_type *kt, const char *op, const struct key *key,
	      const char *desc, const struct ti_request *req,
	      const char *verify, int ret);

#endif /* TRUSTED_IMPORT_H */
