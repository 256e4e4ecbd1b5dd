// SPDX-License-Identifier: GPL-2.0
/*
 * Access to the stock "trusted" key type: the type itself, its payloads,
 * and the scratch keys through which seal.c and verify.c run its code.
 *
 * We never link against trusted.ko: symbol_get() lets this module build and
 * load on kernels without trusted keys, where every import then fails with
 * ENODEV. The reference is kept until module exit, after our key type is
 * unregistered, because our keys' payloads belong to trusted.ko's code.
 */
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/key.h>
#include <linux/kmod.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ti_request.h"
#include "trusted_import.h"

static struct key_type *ti_kt;
static DEFINE_MUTEX(ti_kt_lock);

/*
 * trusted.ko loads even when no backend initialises; its static calls then
 * stay NULL and a direct ->update() can "succeed" with garbage. The backend
 * registers the key type only once it works, so registration is the test
 * (for the encrypted type too: enc.c).
 * register_key_type() list_add()s ->link and unregister_key_type()
 * list_del_init()s it; before the first registration it is all zero.
 */
bool ti_stock_registered(const struct key_type *kt)
{
	return READ_ONCE(kt->link.next) && !list_empty(&kt->link);
}

/*
 * Called from module init only: request_module() must never run under the
 * key locks that our key type callbacks hold (the new module's init would
 * wait on key_types_sem).
 */
void ti_stock_load(void)
{
	if (request_module("trusted"))
		pr_debug("request_module(\"trusted\") failed\n");
	if (!ti_stock_type())
		pr_notice("stock trusted key type not available; imports fail with ENODEV until it is\n");
}

/* The stock type, or NULL when it is absent or not registered (ENODEV). */
struct key_type *ti_stock_type(void)
{
	struct key_type *kt;

	mutex_lock(&ti_kt_lock);
	if (!ti_kt)
		WRITE_ONCE(ti_kt, symbol_get(key_type_trusted));
	kt = ti_kt;
	mutex_unlock(&ti_kt_lock);

	if (!kt || !ti_stock_registered(kt))
		return NULL;
	return kt;
}

/* Our keys hold stock payloads, so the stock code prints their blobs. */
long ti_stock_read(const struct key *key, char *buffer, size_t buflen)
{
	struct key_type *kt = READ_ONCE(ti_kt);

	/* A positive key of ours implies a sealed payload, hence ti_kt. */
	if (!kt)
		return -ENODEV;
	return kt->read(key, buffer, buflen);
}

void ti_stock_release(void)
{
	mutex_lock(&ti_kt_lock);
	if (ti_kt) {
		symbol_put(key_type_trusted);
		WRITE_ONCE(ti_kt, NULL);
	}
	mutex_unlock(&ti_kt_lock);
}

/* Run the stock ->update() with "update <opts>" on @key's current payload. */
static int ti_stock_reseal(struct key_type *kt, struct key *key,
			   const struct ti_request *req)
{
	const char *opts = req->opts;
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
	 * The stock TPM 2.0 code turns such codes into EPERM: so do we.
	 */
	if (ret > 0)
		ret = -EPERM;
	return ret;
}

/* Every backend of 5.13 and later, and TPM 1.2 before (tpm2_legacy.c). */
const struct ti_sealer ti_stock_sealer = {
	.name	= "stock",
	.seal	= ti_stock_reseal,
};

/* A stock payload, ours or the stock code's: it may hold key bytes. */
void ti_payload_destroy(struct key *key)
{
	kfree_sensitive(key->payload.data[0]);
}

/*
 * Wipe and detach the payload of a key that never became positive: its
 * ->destroy() will not run. Nobody else can see such a key's payload.
 */
void ti_payload_drop(struct key *key)
{
	ti_payload_destroy(key);
	rcu_assign_keypointer(key, NULL);
}

/*
 * A key of the stock type that is never instantiated nor linked: a
 * workspace for the stock code. Of the stock type, not ours, so that
 * unregistering ours (rmmod) never has the gc destroy a workspace in use.
 * It is write-locked for its whole life: should the stock type itself go
 * away (a TEE unbinding), the gc's destroy of it waits until we are done,
 * and a workspace that lost its type before we locked it is refused.
 * @subclass tells lockdep that a reseal's workspace nests its verify's.
 */
struct key *ti_scratch_key(struct key_type *kt, const char *desc,
			   int subclass)
{
	struct key *tmp;

	tmp = key_alloc(kt, desc, GLOBAL_ROOT_UID, GLOBAL_ROOT_GID,
			current_cred(), KEY_POS_VIEW, KEY_ALLOC_NOT_IN_QUOTA,
			NULL);
	if (IS_ERR(tmp))
		return tmp;
	down_write_nested(&tmp->sem, subclass);
	if (tmp->type != kt) {
		up_write(&tmp->sem);
		key_put(tmp);
		return ERR_PTR(-ENODEV);
	}
	return tmp;
}

/* Scratch keys never become positive, so ->destroy() is ours to call. */
void ti_scratch_put(struct key *tmp)
{
	ti_payload_drop(tmp);
	up_write(&tmp->sem);
	key_put(tmp);
}
