// SPDX-License-Identifier: GPL-2.0
/*
 * Sealing: the user's bytes become the payload of a key, then the stock
 * type's own update path seals them with whatever backend the kernel booted
 * with. The blob is therefore exactly what the stock type writes, and the
 * stock type loads it on every later boot.
 */
#include <linux/err.h>
#include <linux/key.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ti_request.h"
#include "trusted_import.h"

/*
 * The sealer for this kernel's backend: ours where this kernel's stock code
 * cannot seal for the chip (compat.h), else the stock update path. Asked at
 * each seal, not kept from module init or a first seal, because the stock
 * type and the TPM chip with it may come up after this module, and a seal
 * is a TPM round trip: the lookup costs nothing beside it.
 */
static const struct ti_sealer *ti_sealer(void)
{
	return ti_legacy_sealer() ?: &ti_stock_sealer;
}

/*
 * Seal @len bytes into @key, a key that is not (yet) visible to anyone.
 * On failure @key is left without a payload: whatever it held (ours, or a
 * half-sealed one after a positive return) is wiped here, because a key
 * that never becomes positive never sees ->destroy().
 */
static int ti_seal_into(struct key_type *kt, struct key *key, const u8 *bytes,
			unsigned int len, unsigned char migratable,
			const struct ti_request *req)
{
	struct trusted_key_payload *p;
	int ret;

	ret = key_payload_reserve(key, sizeof(*p));
	if (ret < 0)
		return ret;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	memcpy(p->key, bytes, len);
	p->key_len = len;
	p->migratable = migratable;
	rcu_assign_keypointer(key, p);

	ret = ti_sealer()->seal(kt, key, req);
	if (ret)
		ti_payload_drop(key);
	return ret;
}

int ti_seal_import(struct key *key, const struct ti_request *req)
{
	struct key_type *kt;
	int ret;

	/* The stock update path does not check the length; "new" does. */
	if (req->key_len < MIN_KEY_SIZE || req->key_len > MAX_KEY_SIZE)
		return -EINVAL;
	kt = ti_stock_type();
	if (!kt)
		return -ENODEV;
	/*
	 * The stock update refuses to reseal a non-migratable payload. 1 is
	 * also the stock TPM default; the user may still pass migratable=0.
	 */
	ret = ti_seal_into(kt, key, req->key, req->key_len, 1, req);
	if (ret || !req->verify)
		return ret;
	ret = ti_verify(kt, key->payload.data[0], req);
	if (ret)
		ti_payload_drop(key);
	return ret;
}

static void ti_payload_rcu_free(struct rcu_head *rcu)
{
	kfree_sensitive(container_of(rcu, struct trusted_key_payload, rcu));
}

/*
 * Reseal into a scratch key, prove the new blob, and only then swap it in:
 * until that point the key keeps its old, working payload. Runs under
 * key->sem, write-locked by keyctl_update().
 */
int ti_seal_update(struct key *key, const struct ti_request *req)
{
	struct trusted_key_payload *old = key->payload.data[0];
	struct key_type *kt = ti_stock_type();
	struct key *tmp;
	int ret;

	if (!kt)
		return -ENODEV;
	tmp = ti_scratch_key(kt, "trusted-import:reseal", 0);
	if (IS_ERR(tmp))
		return PTR_ERR(tmp);
	ret = ti_seal_into(kt, tmp, old->key, old->key_len, old->migratable,
			   req);
	if (!ret && req->verify)
		ret = ti_verify(kt, tmp->payload.data[0], req);
	if (!ret) {
		rcu_assign_keypointer(key, tmp->payload.data[0]);
		rcu_assign_keypointer(tmp, NULL);
		call_rcu(&old->rcu, ti_payload_rcu_free);
	}
	ti_scratch_put(tmp);
	return ret;
}
