// SPDX-License-Identifier: GPL-2.0
/*
 * Sealing: the user's bytes become the payload of the key being created,
 * then the stock type's own update path seals them with whatever backend the
 * kernel booted with. The blob is therefore exactly what the stock type
 * writes, and the stock type loads it on every later boot.
 */
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <keys/trusted-type.h>

/* <keys/trusted-type.h> sets its own pr_fmt; ours must win. */
#undef pr_fmt
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "trusted_import.h"

/* Run the stock ->update() with "update <opts>" on @key's current payload. */
static int ti_stock_reseal(struct key_type *kt, struct key *key,
			   const char *opts)
{
	struct key_preparsed_payload prep = {};
	char *cmd;
	int ret;

	/* "update" alone: the stock parser then hands the backend NULL. */
	cmd = kasprintf(GFP_KERNEL, "update%s%s", *opts ? " " : "", opts);
	if (!cmd)
		return -ENOMEM;
	prep.data = cmd;
	prep.datalen = strlen(cmd);
	ret = kt->update(key, &prep);
	/* keyauth= and blobauth= are secrets too */
	kfree_sensitive(cmd);
	/*
	 * A TPM 1.2 error code can come back positive from the seal, and the
	 * stock update then installs the unsealed payload as if it succeeded.
	 */
	if (ret > 0)
		ret = -EIO;
	return ret;
}

int ti_seal_import(struct key *key, const u8 *bytes, unsigned int len,
		   const char *opts)
{
	struct trusted_key_payload *p;
	struct key_type *kt;
	int ret;

	/* The stock update path does not check the length; "new" does. */
	if (len < MIN_KEY_SIZE || len > MAX_KEY_SIZE)
		return -EINVAL;
	kt = ti_stock_type();
	if (!kt)
		return -ENODEV;

	ret = key_payload_reserve(key, sizeof(*p));
	if (ret < 0)
		return ret;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	memcpy(p->key, bytes, len);
	p->key_len = len;
	/*
	 * The stock update refuses to reseal a non-migratable payload. 1 is
	 * also the stock TPM default; the user may still pass migratable=0.
	 */
	p->migratable = 1;
	rcu_assign_keypointer(key, p);

	ret = ti_stock_reseal(kt, key, opts);
	if (ret) {
		/*
		 * The key never becomes positive, so ->destroy() will not run:
		 * whatever payload it holds (ours, or a half-sealed one after
		 * a positive return) is ours to wipe. Nobody else can see an
		 * uninstantiated key's payload.
		 */
		ti_payload_destroy(key);
		rcu_assign_keypointer(key, NULL);
	}
	return ret;
}

int ti_seal_update(struct key *key, const char *opts)
{
	struct key_type *kt = ti_stock_type();

	if (!kt)
		return -ENODEV;
	return ti_stock_reseal(kt, key, opts);
}

void ti_payload_destroy(struct key *key)
{
	kfree_sensitive(key->payload.data[0]);
}
