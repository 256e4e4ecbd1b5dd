// SPDX-License-Identifier: GPL-2.0
/*
 * The "trusted-import" and "encrypted-import" key types. ->preparse parses
 * and checks the request before any key exists, so a refused import leaves
 * nothing behind; ->instantiate and ->update seal through the stock
 * trusted type, or build a stock encrypted payload (enc.c). The two share
 * the privilege gate, the off switch, import-key and the audit trail.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/key-type.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <linux/uidgid.h>
#include <keys/user-type.h>

#include "ti_request.h"
#include "trusted_import.h"

/* What ->preparse hands to ->instantiate or ->update. */
struct ti_prep {
	bool holds_switch;	/* ti_import_begin() succeeded */
	struct ti_request req;
	/*
	 * ti_parse()'s: TI_MAX_OPTS(datalen) parsed options (req.opt), then
	 * its optbuf of datalen + 1 bytes (req.opts, req.ref_desc)
	 */
	struct ti_opt opt[];
};

static DEFINE_RATELIMIT_STATE(ti_refuse_rs, DEFAULT_RATELIMIT_INTERVAL,
			      DEFAULT_RATELIMIT_BURST);

/* One rate-limited line per refusal. Never pass key material here. */
static __printf(1, 2) void ti_refuse(const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (!__ratelimit(&ti_refuse_rs))
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_warn("refused for uid %u: %pV\n",
		from_kuid(&init_user_ns, current_uid()), &vaf);
	va_end(args);
}

static void ti_refuse_seal(const char *what, int ret)
{
	if (ret == -EBADMSG)
		ti_refuse("%s: the new blob does not unseal to the key's bytes",
			  what);
	else if (ret == -ENODEV)
		ti_refuse("%s: stock trusted key type not available (no trusted.ko or no backend)",
			  what);
	else if (ret == -EOPNOTSUPP)
		ti_refuse("%s: an option this kernel's trusted keys cannot honour",
			  what);
	else
		ti_refuse("%s: stock trusted type failed: %pe",
			  what, ERR_PTR(ret));
}

/* import and import-key both make a key; only update does not */
static bool ti_is_import(const struct ti_request *req)
{
	return req->cmd != TI_CMD_UPDATE;
}

static const char *ti_verify_word(const struct ti_request *req, int ret)
{
	if (!req->verify)
		return "skipped";
	if (ret == -EBADMSG)
		return "mismatch";
	/* the seal or the unseal of the fresh blob failed */
	return ret ? "failed" : "ok";
}

/* The sources whose bytes no caller can ever read back from userspace. */
static bool ti_ref_unreadable(const struct ti_request *req)
{
	return req->cmd == TI_CMD_IMPORT_KEY && req->ref_type != TI_REF_USER;
}

/*
 * Who may do what, before any key exists: -EPERM with its refusal line,
 * or 0. Only import and import-key make a key; update follows the stock
 * rules (write permission on the key, checked by the keys core).
 */
static int ti_preparse_allowed(const struct ti_request *req)
{
	if (!ti_is_import(req))
		return 0;
	/*
	 * allow_unprivileged lets a user seal bytes it could read anyway;
	 * never the bytes of a logon or encrypted key, which it cannot.
	 */
	if (ti_ref_unreadable(req) && !capable(CAP_SYS_ADMIN)) {
		ti_refuse("import-key of a logon or encrypted key needs CAP_SYS_ADMIN");
		return -EPERM;
	}
	if (!ti_allow_unprivileged && !capable(CAP_SYS_ADMIN)) {
		ti_refuse("import needs CAP_SYS_ADMIN in the initial user namespace");
		return -EPERM;
	}
	return 0;
}

static void ti_prep_free(struct ti_prep *tp)
{
	if (tp->holds_switch)
		ti_import_end();
	/* holds the key bytes and possibly keyauth=/blobauth= */
	kfree_sensitive(tp);
}

static int ti_preparse_as(struct key_preparsed_payload *prep,
			  struct key_type *kt)
{
	const bool enc = kt == &ti_enc_key_type;
	struct ti_prep *tp = NULL;
	int err;

	/*
	 * Pinned from here to ->free_preparse: keyctl update holds no lock
	 * that keeps the key type alive, and rmmod must not unregister it
	 * (and destroy keys) while a request is in flight. rmmod then fails.
	 */
	if (!try_module_get(THIS_MODULE))
		return -ENODEV;

	/* add_key() allows 1 MiB: refuse before allocating for it */
	if (prep->datalen > TI_MAX_REQUEST) {
		ti_refuse("%s", ti_parse_strerror(TI_PARSE_TOO_LONG));
		err = -EINVAL;
		goto refused;
	}
	/* no overflow: datalen is at most TI_MAX_REQUEST here */
	tp = kzalloc(struct_size(tp, opt, TI_MAX_OPTS(prep->datalen)) +
		     prep->datalen + 1, GFP_KERNEL);
	if (!tp) {
		err = -ENOMEM;
		goto refused;
	}

	err = (enc ? ti_parse_enc : ti_parse)(prep->data, prep->datalen,
		&tp->req, (char *)&tp->opt[TI_MAX_OPTS(prep->datalen)],
		tp->opt);
	if (err == TI_PARSE_OPT_UNKNOWN && tp->req.bad_name)
		ti_refuse("%s '%.*s'", ti_parse_strerror(err),
			  tp->req.bad_name_len, tp->req.bad_name);
	else if (err)
		ti_refuse("%s", ti_parse_strerror(err));
	if (err) {
		err = -EINVAL;
		goto refused;
	}

	err = ti_preparse_allowed(&tp->req);
	if (err)
		goto refused;
	if (ti_is_import(&tp->req)) {
		/* held until ->free_preparse: see ti_imports_set() */
		err = ti_import_begin();
		if (err == -EPERM)
			ti_refuse("imports are disabled (trusted_import.imports=0)");
		if (err)
			goto refused;
		tp->holds_switch = true;
	}
	if (tp->req.cmd == TI_CMD_IMPORT_KEY) {
		const char *why = "";

		err = ti_keyref_read(&tp->req, &why);
		if (err) {
			ti_refuse("import-key: %s", why);
			goto refused;
		}
	}

	prep->payload.data[0] = tp;
	return 0;

refused:
	/*
	 * Refused before any key existed. keyctl_update() passes no
	 * description, so a refused update request leaves no record here.
	 */
	if (ti_prep_description(prep))
		ti_audit(kt, "import", NULL, ti_prep_description(prep),
			 tp ? &tp->req : NULL, "none", err);
	if (tp)
		ti_prep_free(tp);
	module_put(THIS_MODULE);
	return err;
}

static int ti_preparse(struct key_preparsed_payload *prep)
{
	return ti_preparse_as(prep, &ti_key_type);
}

static int ti_enc_preparse(struct key_preparsed_payload *prep)
{
	return ti_preparse_as(prep, &ti_enc_key_type);
}

static void ti_free_preparse(struct key_preparsed_payload *prep)
{
	struct ti_prep *tp = prep->payload.data[0];

	/* NULL when ->preparse failed: it cleaned up and dropped the pin */
	if (!tp)
		return;
	ti_prep_free(tp);
	prep->payload.data[0] = NULL;
	/* our last act: the key core, not this module, runs after it */
	module_put(THIS_MODULE);
}

static int ti_instantiate(struct key *key, struct key_preparsed_payload *prep)
{
	struct ti_prep *tp = prep->payload.data[0];
	int ret;

	if (!ti_is_import(&tp->req)) {
		ti_refuse("'update' needs an existing key; create it with 'import'");
		ret = -EINVAL;
		goto audit;
	}
	ret = ti_seal_import(key, &tp->req);
	if (ret)
		ti_refuse_seal("import", ret);
audit:
	ti_audit(key->type, "import", key, key->description, &tp->req,
		 ti_verify_word(&tp->req, ret), ret);
	return ret;
}

static void ti_refuse_enc(int ret, const char *why)
{
	if (*why)
		ti_refuse("%s", why);
	else if (ret == -EBADMSG)
		ti_refuse("import: the new blob does not load to the key's bytes");
	else if (ret == -ENOKEY || ret == -EKEYREVOKED || ret == -EKEYEXPIRED)
		ti_refuse("import: master key not usable from the caller's keyrings: %pe",
			  ERR_PTR(ret));
	else if (ret == -EOPNOTSUPP)
		ti_refuse("import: this kernel's encrypted keys take no trusted master");
	else
		ti_refuse("import: stock encrypted type failed: %pe",
			  ERR_PTR(ret));
}

/* ->preparse let through import and import-key only (ti_parse_enc()) */
static int ti_enc_instantiate(struct key *key,
			      struct key_preparsed_payload *prep)
{
	struct ti_prep *tp = prep->payload.data[0];
	const char *why = "";
	int ret;

	ret = ti_enc_import(key, &tp->req, &why);
	if (ret)
		ti_refuse_enc(ret, why);
	/* *why: refused before anything was built, let alone verified */
	ti_audit(key->type, "import", key, key->description, &tp->req,
		 *why ? "none" : ti_verify_word(&tp->req, ret), ret);
	return ret;
}

static int ti_update(struct key *key, struct key_preparsed_payload *prep)
{
	struct ti_prep *tp = prep->payload.data[0];
	int ret;

	/*
	 * A negative key (a failed request_key) holds no payload, and the
	 * keys core would make it positive on success: refuse it like the
	 * stock types do, before anything else.
	 */
	if (key_is_negative(key)) {
		ti_refuse("a negative key cannot be updated or imported into");
		ti_audit(key->type, ti_is_import(&tp->req) ? "import" : "update",
			 NULL, key->description, &tp->req, "none", -ENOKEY);
		return -ENOKEY;
	}
	/* add_key() on an existing description lands here: keep the old key */
	if (ti_is_import(&tp->req)) {
		ti_refuse("a key with this description already exists; unlink it to import again");
		ti_audit(key->type, "import", NULL, key->description, &tp->req,
			 "none", -EEXIST);
		return -EEXIST;
	}
	/* cannot happen: ti_parse_enc() takes no update */
	if (key->type == &ti_enc_key_type)
		return -EINVAL;
	ret = ti_seal_update(key, &tp->req);
	/* ti_seal_update() swaps blobs only on success: the old one stays */
	if (ret)
		ti_refuse_seal("update", ret);
	ti_audit(key->type, "update", key, key->description, &tp->req,
		 ti_verify_word(&tp->req, ret), ret);
	return ret;
}

/*
 * No construction through request_key(): the request-key helper runs as
 * root, so ->preparse's capable() would pass on behalf of whoever asked,
 * who then owns the key. The requester gets EOPNOTSUPP and a negative key
 * that nothing can instantiate (ti_update() refuses it).
 */
static int ti_request_key(struct key *authkey, void *aux)
{
	ti_refuse("keys of this type cannot be made through request_key");
	complete_request_key(authkey, -EOPNOTSUPP);
	return -EOPNOTSUPP;
}

struct key_type ti_key_type = {
	.name		= "trusted-import",
	.preparse	= ti_preparse,
	.free_preparse	= ti_free_preparse,
	.instantiate	= ti_instantiate,
	.update		= ti_update,
	.request_key	= ti_request_key,
	.destroy	= ti_payload_destroy,
	.describe	= user_describe,
	.read		= ti_stock_read,
};

/*
 * A factory of stock encrypted blobs: keyctl pipe prints the blob that
 * "keyctl add encrypted NAME 'load <blob>'" loads on every later boot.
 * dm-crypt and eCryptfs use only the stock type, never this one.
 */
struct key_type ti_enc_key_type = {
	.name		= "encrypted-import",
	.preparse	= ti_enc_preparse,
	.free_preparse	= ti_free_preparse,
	.instantiate	= ti_enc_instantiate,
	.update		= ti_update,
	.request_key	= ti_request_key,
	.destroy	= ti_payload_destroy,
	.describe	= user_describe,
	.read		= ti_enc_read,
};
