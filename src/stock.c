// SPDX-License-Identifier: GPL-2.0
/*
 * Access to the stock "trusted" key type.
 *
 * We never link against trusted.ko: symbol_get() lets this module build and
 * load on kernels without trusted keys, where every import then fails with
 * ENODEV. The reference is kept until module exit, after our key type is
 * unregistered, because our keys' payloads belong to trusted.ko's code.
 */
#include <linux/kmod.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>

#include "trusted_import.h"

static struct key_type *ti_kt;
static DEFINE_MUTEX(ti_kt_lock);

/*
 * trusted.ko loads even when no backend initialises; its static calls then
 * stay NULL and a direct ->update() can "succeed" with garbage. The backend
 * registers the key type only once it works, so registration is the test.
 * register_key_type() list_add()s ->link and unregister_key_type()
 * list_del_init()s it; before the first registration it is all zero.
 */
static bool ti_stock_registered(const struct key_type *kt)
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
