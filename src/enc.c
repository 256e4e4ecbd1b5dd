// SPDX-License-Identifier: GPL-2.0
/*
 * encrypted-import: a payload of the stock "encrypted" key type that holds
 * the user's bytes as its decrypted data, laid out exactly as the stock
 * encrypted_key_alloc() and __ekey_init() lay one out (the same from 5.10
 * to 7.3). The stock ->read then encrypts and HMACs it under the master
 * key, so the blob is the stock code's own: none of its crypto is ours.
 *
 * Like stock.c for the trusted type, the encrypted type is taken with
 * symbol_get() (encrypted-keys may be a module, or absent: ENODEV), and
 * the reference is kept until module exit, because our keys' ->read is the
 * stock one.
 */
/* before <linux/ecryptfs.h>, which uses u32 but includes nothing on 5.10 */
#include <linux/types.h>
#include <linux/ecryptfs.h>
#include <linux/err.h>
#include <linux/key.h>
#include <linux/kmod.h>
#include <linux/limits.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <crypto/aes.h>
#include <crypto/algapi.h>
#include <keys/encrypted-type.h>

#include "ti_request.h"
#include "trusted_import.h"

/* cbc(aes): the stock type's ivsize and blksize, both file-static there */
#define TI_ENC_BLOCK		AES_BLOCK_SIZE
/* HMAC-SHA256, after the datablob, then one spare byte */
#define TI_ENC_HMAC_LEN		32

static struct key_type *ti_ekt;
static DEFINE_MUTEX(ti_ekt_lock);

/* The stock encrypted type, or NULL when absent or not registered. */
static struct key_type *ti_enc_type(void)
{
	struct key_type *kt;

	mutex_lock(&ti_ekt_lock);
	if (!ti_ekt)
		WRITE_ONCE(ti_ekt, symbol_get(key_type_encrypted));
	kt = ti_ekt;
	mutex_unlock(&ti_ekt_lock);

	if (!kt || !ti_stock_registered(kt))
		return NULL;
	return kt;
}

/* From module init only, as ti_stock_load() and for the same reason. */
void ti_enc_load(void)
{
	if (request_module("encrypted_keys"))
		pr_debug("request_module(\"encrypted_keys\") failed\n");
}

void ti_enc_release(void)
{
	mutex_lock(&ti_ekt_lock);
	if (ti_ekt) {
		symbol_put(key_type_encrypted);
		WRITE_ONCE(ti_ekt, NULL);
	}
	mutex_unlock(&ti_ekt_lock);
}

/* Our keys hold stock payloads: the stock ->read prints their blobs. */
long ti_enc_read(const struct key *key, char *buffer, size_t buflen)
{
	struct key_type *kt = READ_ONCE(ti_ekt);

	/* a positive key of ours implies a payload built after ti_enc_type() */
	if (!kt)
		return -ENODEV;
	return kt->read(key, buffer, buflen);
}

/*
 * The stock layout for @req's format, master and length, charged to
 * @key's quota as the stock type charges it (not counting the struct):
 *
 *   payload_data: the data (ecryptfs: an auth token holding it), then
 *   format\0 master\0 datalen\0 iv[16] 0 encrypted[E] hmac[32] 0
 *
 * kzalloc() provides the NULs and the spare byte the HMAC covers.
 */
static struct encrypted_key_payload *
ti_enc_alloc(struct key *key, const struct ti_request *req)
{
	const char *format = ti_enc_format_name[req->format];
	size_t flen = strlen(format), mlen = strlen(req->master);
	unsigned int plen = req->key_len;
	struct encrypted_key_payload *ep;
	size_t blob_len, total;
	char datalen[8];
	size_t dlen;
	int ret;

	dlen = scnprintf(datalen, sizeof(datalen), "%u", req->key_len);
	if (req->format == TI_FMT_ECRYPTFS)
		plen = sizeof(struct ecryptfs_auth_tok);
	/* no overflow: the request is at most TI_MAX_REQUEST bytes */
	blob_len = flen + 1 + mlen + 1 + dlen + 1 + TI_ENC_BLOCK + 1 +
		   roundup(req->key_len, TI_ENC_BLOCK);
	/* datablob_len is an unsigned short; the stock type checks it too */
	if (blob_len > USHRT_MAX)
		return ERR_PTR(-EINVAL);
	total = plen + blob_len + TI_ENC_HMAC_LEN + 1;
	ret = key_payload_reserve(key, total);
	if (ret < 0)
		return ERR_PTR(ret);
	ep = kzalloc(sizeof(*ep) + total, GFP_KERNEL);
	if (!ep)
		return ERR_PTR(-ENOMEM);

	ep->payload_datalen = plen;
	ep->decrypted_datalen = req->key_len;
	ep->datablob_len = blob_len;
	ep->format = ep->payload_data + plen;
	ep->master_desc = ep->format + flen + 1;
	ep->datalen = ep->master_desc + mlen + 1;
	ep->iv = ep->datalen + dlen + 1;
	ep->encrypted_data = ep->iv + TI_ENC_BLOCK + 1;
	memcpy(ep->format, format, flen);
	memcpy(ep->master_desc, req->master, mlen);
	memcpy(ep->datalen, datalen, dlen);
	ep->decrypted_data = ep->payload_data;
	return ep;
}

/*
 * The auth token the stock ecryptfs_fill_auth_tok() builds, its FEKEK slot
 * then taking the data. That function is exported without _GPL, which
 * symbol_get() refuses since 6.5, so its few fields are set here (from
 * <linux/ecryptfs.h>, the same in every kernel we build for), and
 * verification compares the whole token with the one the stock load
 * builds: any drift fails the import instead of making an odd key.
 */
static void ti_ecryptfs_fill(struct encrypted_key_payload *ep,
			     const char *desc)
{
	struct ecryptfs_auth_tok *tok = (void *)ep->payload_data;
	struct ecryptfs_password *pw = &tok->token.password;

	tok->version = TI_ECRYPTFS_VERSION;
	tok->token_type = ECRYPTFS_PASSWORD;
	memcpy(pw->signature, desc, ECRYPTFS_PASSWORD_SIG_SIZE);
	pw->session_key_encryption_key_bytes = ECRYPTFS_MAX_KEY_BYTES;
	pw->flags |= ECRYPTFS_SESSION_KEY_ENCRYPTION_KEY_SET;
	pw->flags &= ~ECRYPTFS_PERSISTENT_PASSWORD;
	/* PGP_DIGEST_ALGO_SHA512, as the stock code sets it */
	pw->hash_algo = 10;
	ep->decrypted_data = pw->session_key_encryption_key;
}

/*
 * Load the blob that the stock ->read makes of @tmp's payload into a
 * second scratch key and compare what it decrypted, in constant time.
 * Both reads find the master in the caller's keyrings, as a later stock
 * load will: a master the caller cannot reach fails the import here.
 */
static int ti_enc_verify(struct key_type *kt, struct key *tmp,
			 const char *desc)
{
	const struct encrypted_key_payload *ep = tmp->payload.data[0], *lp;
	struct key_preparsed_payload prep = {};
	struct key *chk;
	long len, n;
	char *cmd;
	int ret;

	len = kt->read(tmp, NULL, 0);
	if (len < 0)
		return len;
	cmd = kmalloc(5 + len, GFP_KERNEL);
	if (!cmd)
		return -ENOMEM;
	memcpy(cmd, "load ", 5);
	n = kt->read(tmp, cmd + 5, len);
	if (n < 0 || n > len) {
		ret = n < 0 ? n : -EINVAL;
		goto out;
	}
	/* named as the key, which an ecryptfs load checks */
	chk = ti_scratch_key(kt, desc, 1);
	if (IS_ERR(chk)) {
		ret = PTR_ERR(chk);
		goto out;
	}
	prep.data = cmd;
	prep.datalen = 5 + n;
	ret = kt->instantiate(chk, &prep);
	/*
	 * All that precedes the blob: the data, or the whole auth token that
	 * holds it (the stock load builds its own)
	 */
	if (!ret) {
		lp = chk->payload.data[0];
		if (lp->payload_datalen != ep->payload_datalen ||
		    lp->decrypted_datalen != ep->decrypted_datalen ||
		    crypto_memneq(lp->payload_data, ep->payload_data,
				  ep->payload_datalen))
			ret = -EBADMSG;
	}
	ti_scratch_put(chk);
out:
	/* the blob is public; the plaintext never was in it */
	kfree(cmd);
	return ret;
}

/*
 * Build @key's payload from @req, prove it if asked, and only then give
 * it to @key. Until then it lives in a scratch key of the stock type,
 * whose destroy (ours: ti_scratch_put()) wipes it on any failure.
 */
int ti_enc_import(struct key *key, const struct ti_request *req,
		  const char **why)
{
	struct encrypted_key_payload *ep;
	struct key_type *kt;
	struct key *tmp;
	int ret;

	kt = ti_enc_type();
	if (!kt) {
		*why = "stock encrypted key type not available";
		return -ENODEV;
	}
	if (req->format == TI_FMT_ECRYPTFS &&
	    !ti_ecryptfs_desc_ok(key->description)) {
		*why = "format ecryptfs needs a description of 16 hex digits";
		return -EINVAL;
	}
	/* 5.10's ->preparse is not told the description: checked here */
	if (req->ref_sig[0] && strcmp(req->ref_sig, key->description)) {
		*why = "import-key: source auth token's signature is not the new key's description";
		return -EINVAL;
	}
	tmp = ti_scratch_key(kt, key->description, 0);
	if (IS_ERR(tmp))
		return PTR_ERR(tmp);
	ep = ti_enc_alloc(key, req);
	if (IS_ERR(ep)) {
		ret = PTR_ERR(ep);
		goto out;
	}
	rcu_assign_keypointer(tmp, ep);
	if (req->format == TI_FMT_ECRYPTFS)
		ti_ecryptfs_fill(ep, key->description);
	memcpy(ep->decrypted_data, req->key, req->key_len);
	/* as the stock "new": the IV is fixed here, for every later read */
	get_random_bytes(ep->iv, TI_ENC_BLOCK);

	ret = req->verify ? ti_enc_verify(kt, tmp, key->description) : 0;
	if (!ret) {
		rcu_assign_keypointer(key, ep);
		rcu_assign_keypointer(tmp, NULL);
	}
out:
	ti_scratch_put(tmp);
	return ret;
}

/*
 * For the audit record: the data's length, and the length of the blob the
 * stock ->read prints (its asciiblob_len), without asking for the master.
 */
void ti_enc_lens(const void *payload, unsigned int *key_len,
		 unsigned int *blob_len)
{
	const struct encrypted_key_payload *ep = payload;

	*key_len = ep->decrypted_datalen;
	*blob_len = ep->datablob_len + TI_ENC_BLOCK + 1 +
		    roundup(ep->decrypted_datalen, TI_ENC_BLOCK) +
		    2 * TI_ENC_HMAC_LEN;
}
