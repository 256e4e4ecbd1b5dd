// SPDX-License-Identifier: GPL-2.0
/*
 * Verification: before an import (or a reseal) returns, load the fresh blob
 * through the stock type into a throw-away key and compare the key bytes, in
 * constant time, with the ones that were sealed.
 *
 * The load also says what the stock type makes of the blob: its migratable
 * flag, which the key then takes. Sealing needs the flag set to get past
 * the stock update's check, but a stock load on TEE, CAAM and DCP gives 0
 * (their backends' default; only TPM blobs carry the flag), so without
 * this an imported key would take updates that a stock one refuses.
 *
 * The throw-away key is key_alloc()ed and instantiated by a direct call:
 * key_create_or_update() would deadlock, since our ->instantiate already
 * runs under key_construction_mutex and the keyring's semaphore.
 */
#include <linux/err.h>
#include <linux/key.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <crypto/algapi.h>

#include "ti_request.h"
#include "trusted_import.h"

/*
 * "load <hex blob> <opts>" without the options that must not be replayed
 * (TI_OPTF_NO_VERIFY: pcrlock=, whose load would lock the very blob we
 * just made).
 */
static char *ti_load_cmd(const struct trusted_key_payload *sealed,
			 const struct ti_request *req)
{
	size_t size = 5 + 2 * sealed->blob_len + strlen(req->opts) + 2;
	const struct ti_opt *o;
	char *cmd, *p;

	cmd = kmalloc(size, GFP_KERNEL);
	if (!cmd)
		return NULL;
	p = cmd + sprintf(cmd, "load ");
	p = bin2hex(p, sealed->blob, sealed->blob_len);
	for (o = req->opt; o < req->opt + req->nr_opts; o++) {
		if (ti_opt_info[o->id].flags & TI_OPTF_NO_VERIFY)
			continue;
		*p++ = ' ';
		memcpy(p, req->opts + o->off, o->len);
		p += o->len;
	}
	*p = '\0';
	return cmd;
}

int ti_verify(struct key_type *kt, struct trusted_key_payload *sealed,
	      const struct ti_request *req)
{
	struct key_preparsed_payload prep = {};
	const struct trusted_key_payload *loaded;
	struct key *tmp;
	char *cmd;
	int ret;

	cmd = ti_load_cmd(sealed, req);
	if (!cmd)
		return -ENOMEM;
	tmp = ti_scratch_key(kt, "trusted-import:verify", 1);
	if (IS_ERR(tmp)) {
		ret = PTR_ERR(tmp);
		goto out;
	}
	prep.data = cmd;
	prep.datalen = strlen(cmd);
	ret = kt->instantiate(tmp, &prep);
	/* a positive TPM code: the stock code installed nothing */
	if (ret > 0)
		ret = -EPERM;
	if (!ret) {
		loaded = tmp->payload.data[0];
		if (loaded->key_len != sealed->key_len ||
		    crypto_memneq(loaded->key, sealed->key, sealed->key_len))
			ret = -EBADMSG;
		else
			sealed->migratable = loaded->migratable;
	}
	ti_scratch_put(tmp);
out:
	/* the blob is public, but opts may hold keyauth= and blobauth= */
	kfree_sensitive(cmd);
	return ret;
}
