// SPDX-License-Identifier: GPL-2.0
/*
 * TPM 2.0 sealing for kernels before 5.13, whose stock update path speaks
 * TPM 1.2 only (compat/compat.h). This sends the TPM2_Create that the stock
 * "new" of those kernels sends (5.10's tpm2_seal_trusted()) and keeps what
 * it keeps: the response's parameter area, TPM2B_PRIVATE || TPM2B_PUBLIC
 * followed by the creation data, over the sealed data key || migratable.
 * The stock "load" of every kernel reads that blob with keyhandle=.
 * ti_legacy_sealer() takes this sealer when the default chip is a TPM 2.0;
 * on a TPM 1.2 chip the stock update path seals, behind ti_tpm12_opts().
 *
 * The options are those of 5.10's getoptions(), with its TPM 2.0 meaning:
 *   keyhandle=   the parent, required (TPM 2.0 has no default SRK)
 *   keyauth=     40 hex digits: the parent's password, always 20 bytes
 *   blobauth=    40 hex digits, or at most 20 characters: the userAuth
 *   hash=        sha1, sha256 (default), sha384, sha512, sm3: the nameAlg
 *   policydigest= a digest of hash= (which must come first): the
 *                authPolicy; then no userWithAuth
 *   migratable=  0 or 1, sealed as the last byte. 5.10 sets no object
 *                attribute for it (5.13 adds fixedTPM|fixedParent); a
 *                blob of ours is the one 5.10 makes.
 *   pcrlock=     extend that PCR once the blob is made (CAP_SYS_ADMIN)
 *   pcrinfo=, policyhandle=  checked as 5.10 checks them, then ignored,
 *                as 5.10's TPM 2.0 seal ignores them (pcrinfo= is TPM
 *                1.2's; policyhandle= serves the unseal)
 * Anything else (keytype=, wrap_flags= of newer kernels) is EINVAL, as in
 * 5.10; a repeated option too.
 *
 * The TPM driver is taken with symbol_get(), not linked: linking would make
 * tpm.ko a load dependency, and a bare insmod would fail wherever tpm.ko is
 * a module not yet loaded, while this module otherwise loads anywhere and
 * answers ENODEV. Whenever the stock type is registered, tpm.ko is loaded:
 * before 5.13 trusted.ko links against it.
 */
#include <linux/bitops.h>
#include <linux/capability.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tpm.h>
#include <asm/unaligned.h>

#include "ti_request.h"
#include "trusted_import.h"

#if IS_ENABLED(CONFIG_TCG_TPM)

/* 5.10's tpm2_hash_map, by hash_algo_name[] */
static const struct ti_hash {
	const char *name;
	u16 alg;
	u16 size;
} ti_hashes[] = {
	{ "sha1", TPM_ALG_SHA1, 20 },
	{ "sha256", TPM_ALG_SHA256, 32 },
	{ "sha384", TPM_ALG_SHA384, 48 },
	{ "sha512", TPM_ALG_SHA512, 64 },
	{ "sm3", TPM_ALG_SM3_256, 32 },
};

#define TI_HASH_DEFAULT		(&ti_hashes[1])	/* sha256 on TPM 2.0 */

/* What the options ask for; keyauth and blobauth are secrets. */
struct ti_opts {
	u32 keyhandle;
	u8 keyauth[TPM_DIGEST_SIZE];
	u8 blobauth[TPM_DIGEST_SIZE];
	unsigned int blobauth_len;
	const struct ti_hash *hash;
	u8 policy[MAX_DIGEST_SIZE];
	unsigned int policy_len;
	u32 pcrlock;
	unsigned char migratable;
};

/* The TPM driver's calls, each held with symbol_get(), and the chip. */
struct ti_tpm {
	struct tpm_chip *chip;
	int (*get_ops)(struct tpm_chip *chip);
	void (*put_ops)(struct tpm_chip *chip);
	ssize_t (*transmit)(struct tpm_chip *chip, struct tpm_buf *buf,
			    size_t min_rsp_body_length, const char *desc);
	int (*pcr_extend)(struct tpm_chip *chip, u32 pcr_idx,
			  struct tpm_digest *digests);
};

static void ti_tpm_put(struct ti_tpm *t)
{
	/* the chip's release code is tpm.ko's: drop it while we pin that */
	if (t->chip)
		put_device(&t->chip->dev);
	if (t->get_ops)
		symbol_put(tpm_try_get_ops);
	if (t->put_ops)
		symbol_put(tpm_put_ops);
	if (t->transmit)
		symbol_put(tpm_transmit_cmd);
	if (t->pcr_extend)
		symbol_put(tpm_pcr_extend);
}

/* The default chip, as the stock type takes it, if it is a TPM 2.0. */
static int ti_tpm_get(struct ti_tpm *t)
{
	struct tpm_chip *(*default_chip)(void);

	t->get_ops = symbol_get(tpm_try_get_ops);
	t->put_ops = symbol_get(tpm_put_ops);
	t->transmit = symbol_get(tpm_transmit_cmd);
	t->pcr_extend = symbol_get(tpm_pcr_extend);
	default_chip = symbol_get(tpm_default_chip);
	t->chip = default_chip ? default_chip() : NULL;
	if (default_chip)
		symbol_put(tpm_default_chip);
	if (t->chip && t->get_ops && t->put_ops && t->transmit &&
	    t->pcr_extend && (t->chip->flags & TPM_CHIP_FLAG_TPM2))
		return 0;
	ti_tpm_put(t);
	return -ENODEV;
}

static int ti_hex_ok(const char *s, size_t len)
{
	u8 b;

	for (; len >= 2; s += 2, len -= 2)
		if (hex2bin(&b, s, 1))
			return -EINVAL;
	return 0;
}

/* One option's value; -EINVAL when 5.10's getoptions() refuses it. */
static int ti_parse_value(int tok, const char *v, struct ti_opts *o)
{
	size_t len = strlen(v);
	const struct ti_hash *h;
	u32 unused;

	switch (tok) {
	case TI_OPT_KEYHANDLE:
		return kstrtou32(v, 16, &o->keyhandle);
	case TI_OPT_KEYAUTH:
		if (len != 2 * TPM_DIGEST_SIZE)
			return -EINVAL;
		return hex2bin(o->keyauth, v, TPM_DIGEST_SIZE);
	case TI_OPT_BLOBAUTH:
		/* a hex digest, or else (TPM 2.0 only) a plain password */
		if (len == 2 * TPM_DIGEST_SIZE) {
			o->blobauth_len = TPM_DIGEST_SIZE;
			return hex2bin(o->blobauth, v, TPM_DIGEST_SIZE);
		}
		if (len > TPM_DIGEST_SIZE)
			return -EINVAL;
		o->blobauth_len = len;
		memcpy(o->blobauth, v, len);
		return 0;
	case TI_OPT_PCRINFO:
		if (len / 2 > MAX_PCRINFO_SIZE)
			return -EINVAL;
		return ti_hex_ok(v, len);
	case TI_OPT_PCRLOCK:
		return kstrtou32(v, 10, &o->pcrlock);
	case TI_OPT_MIGRATABLE:
		if (strcmp(v, "0") && strcmp(v, "1"))
			return -EINVAL;
		o->migratable = *v - '0';
		return 0;
	case TI_OPT_HASH:
		for (h = ti_hashes; h < ti_hashes + ARRAY_SIZE(ti_hashes); h++)
			if (!strcmp(v, h->name)) {
				o->hash = h;
				return 0;
			}
		return -EINVAL;
	case TI_OPT_POLICYDIGEST:
		if (len != 2 * o->hash->size)
			return -EINVAL;
		o->policy_len = o->hash->size;
		return hex2bin(o->policy, v, o->policy_len);
	case TI_OPT_POLICYHANDLE:
		return kstrtou32(v, 16, &unused);
	}
	return -EINVAL;
}

/*
 * @req's parsed options into @o, their values read from @c, a copy of
 * req->opts that this cuts into NUL-terminated values.
 */
static int ti_parse_opts(const struct ti_request *req, char *c,
			 struct ti_opts *o)
{
	const struct ti_opt *opt;
	unsigned long seen = 0;
	int tok;

	for (opt = req->opt; opt < req->opt + req->nr_opts; opt++) {
		tok = opt->id;
		if (!(ti_opt_info[tok].flags & TI_OPTF_LEGACY)) {
			pr_info_ratelimited("TPM 2.0 seal: an option this kernel's trusted keys do not know\n");
			return -EINVAL;
		}
		if (__test_and_set_bit(tok, &seen)) {
			pr_info_ratelimited("TPM 2.0 seal: %s= given twice\n",
					    ti_opt_info[tok].name);
			return -EINVAL;
		}
		if (tok == TI_OPT_HASH &&
		    test_bit(TI_OPT_POLICYDIGEST, &seen)) {
			pr_info_ratelimited("TPM 2.0 seal: hash= must come before policydigest=\n");
			return -EINVAL;
		}
		c[opt->off + opt->len] = '\0';
		if (ti_parse_value(tok, ti_opt_value(c, opt), o)) {
			pr_info_ratelimited("TPM 2.0 seal: bad %s= value\n",
					    ti_opt_info[tok].name);
			return -EINVAL;
		}
	}
	if (test_bit(TI_OPT_PCRINFO, &seen))
		pr_info_ratelimited("TPM 2.0 seal: pcrinfo= is TPM 1.2's and ignored, as by the stock type\n");
	if (!o->keyhandle) {
		pr_info_ratelimited("TPM 2.0 seal: keyhandle= is required\n");
		return -EINVAL;
	}
	return 0;
}

/* TPM2_Create under o->keyhandle, as 5.10's tpm2_seal_trusted() sends it */
static int ti_tpm2_create(struct ti_tpm *t, struct trusted_key_payload *p,
			  const struct ti_opts *o)
{
	struct tpm_buf buf;
	u32 blob_len;
	int rc;

	rc = t->get_ops(t->chip);
	if (rc)
		return rc;
	rc = tpm_buf_init(&buf, TPM2_ST_SESSIONS, TPM2_CC_CREATE);
	if (rc)
		goto out_put;

	/*
	 * The parent and a password session (TPMS_AUTH_COMMAND) with its
	 * 20-byte auth: the TPM drops trailing zeros, so none is the empty
	 * auth. At most about 330 bytes in all: tpm_buf never overflows.
	 */
	tpm_buf_append_u32(&buf, o->keyhandle);
	tpm_buf_append_u32(&buf, 9 + TPM_DIGEST_SIZE);
	tpm_buf_append_u32(&buf, TPM2_RS_PW);
	tpm_buf_append_u16(&buf, 0);		/* nonce */
	tpm_buf_append_u8(&buf, 0);		/* session attributes */
	tpm_buf_append_u16(&buf, TPM_DIGEST_SIZE);
	tpm_buf_append(&buf, o->keyauth, TPM_DIGEST_SIZE);

	/* TPM2B_SENSITIVE_CREATE: userAuth, then key || migratable */
	tpm_buf_append_u16(&buf, 4 + o->blobauth_len + p->key_len + 1);
	tpm_buf_append_u16(&buf, o->blobauth_len);
	tpm_buf_append(&buf, o->blobauth, o->blobauth_len);
	tpm_buf_append_u16(&buf, p->key_len + 1);
	tpm_buf_append(&buf, p->key, p->key_len);
	tpm_buf_append_u8(&buf, p->migratable);

	/* TPM2B_PUBLIC: keyed-hash data, no scheme, an empty unique */
	tpm_buf_append_u16(&buf, 14 + o->policy_len);
	tpm_buf_append_u16(&buf, TPM_ALG_KEYEDHASH);
	tpm_buf_append_u16(&buf, o->hash->alg);
	tpm_buf_append_u32(&buf, o->policy_len ? 0 : TPM2_OA_USER_WITH_AUTH);
	tpm_buf_append_u16(&buf, o->policy_len);
	tpm_buf_append(&buf, o->policy, o->policy_len);
	tpm_buf_append_u16(&buf, TPM_ALG_NULL);
	tpm_buf_append_u16(&buf, 0);

	tpm_buf_append_u16(&buf, 0);		/* outsideInfo */
	tpm_buf_append_u32(&buf, 0);		/* creationPCR: none */

	rc = t->transmit(t->chip, &buf, 4, "sealing data");
	if (rc > 0) {
		pr_info_ratelimited("TPM 2.0 seal: TPM2_Create failed (0x%x)\n",
				    rc);
		rc = tpm2_rc_value(rc) == TPM2_RC_HASH ? -EINVAL : -EPERM;
	}
	if (rc)
		goto out;

	/* parameterSize, then the parameters: the blob */
	blob_len = get_unaligned_be32(&buf.data[TPM_HEADER_SIZE]);
	if (blob_len > MAX_BLOB_SIZE) {
		rc = -E2BIG;
		goto out;
	}
	if (tpm_buf_length(&buf) < TPM_HEADER_SIZE + 4 + blob_len) {
		rc = -EFAULT;
		goto out;
	}
	memcpy(p->blob, &buf.data[TPM_HEADER_SIZE + 4], blob_len);
	p->blob_len = blob_len;
out:
	/* the command carried the key and both auth values */
	memzero_explicit(buf.data, PAGE_SIZE);
	tpm_buf_destroy(&buf);
out_put:
	t->put_ops(t->chip);
	return rc;
}

/* 5.10's pcrlock(): extend every bank of @pcr with a zero digest */
static int ti_pcrlock(struct ti_tpm *t, u32 pcr)
{
	struct tpm_chip *chip = t->chip;
	struct tpm_digest *d;
	u32 i;
	int rc;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	d = kcalloc(chip->nr_allocated_banks, sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	for (i = 0; i < chip->nr_allocated_banks; i++)
		d[i].alg_id = chip->allocated_banks[i].alg_id;
	rc = t->pcr_extend(chip, pcr, d);
	kfree(d);
	if (rc) {
		pr_info_ratelimited("TPM 2.0 seal: pcrlock= failed (%d)\n", rc);
		return -EINVAL;
	}
	return 0;
}

static int ti_tpm2_seal(struct key_type *kt, struct key *key,
			const struct ti_request *req)
{
	struct trusted_key_payload *p = key->payload.data[0];
	struct ti_tpm t = {};
	struct ti_opts *o;
	char *c;
	int ret;

	/* the stock update refuses to reseal a non-migratable key */
	if (!p->migratable)
		return -EPERM;
	o = kzalloc(sizeof(*o), GFP_KERNEL);
	c = kstrdup(req->opts, GFP_KERNEL);
	if (!o || !c) {
		ret = -ENOMEM;
		goto out;
	}
	o->hash = TI_HASH_DEFAULT;
	o->migratable = p->migratable;
	ret = ti_parse_opts(req, c, o);
	if (ret)
		goto out;
	ret = ti_tpm_get(&t);
	if (ret)
		goto out;
	p->migratable = o->migratable;
	ret = ti_tpm2_create(&t, p, o);
	if (!ret && o->pcrlock)
		ret = ti_pcrlock(&t, o->pcrlock);
	ti_tpm_put(&t);
out:
	kfree_sensitive(c);
	kfree_sensitive(o);
	return ret;
}

static const struct ti_sealer ti_tpm2_sealer = {
	.name	= "in-module TPM 2.0",
	.seal	= ti_tpm2_seal,
};

/* Ours if the default chip is a TPM 2.0, as the stock type would use it. */
static const struct ti_sealer *ti_tpm2_sealer_get(void)
{
	struct ti_tpm t = {};

	if (ti_tpm_get(&t))
		return NULL;
	ti_tpm_put(&t);
	return &ti_tpm2_sealer;
}

#else /* !CONFIG_TCG_TPM: no TPM, hence no stock trusted keys either */

static const struct ti_sealer *ti_tpm2_sealer_get(void)
{
	return NULL;
}

#endif

/*
 * TPM 1.2 before 5.13: the stock update path parses migratable=0 into the
 * new payload, then copies the old payload's flag over it, so the blob
 * would come out migratable after all. Refuse rather than seal something
 * other than what was asked for (the stock "new" honours it).
 */
static int ti_tpm12_opts(const struct ti_request *req)
{
	const struct ti_opt *o;

	/* a value starting with 0, as the stock parser reads it */
	for (o = req->opt; o < req->opt + req->nr_opts; o++) {
		if (o->id == TI_OPT_MIGRATABLE &&
		    *ti_opt_value(req->opts, o) == '0') {
			pr_info_ratelimited("TPM 1.2: migratable=0 needs 5.13 or later: this kernel's trusted update path would seal the key migratable\n");
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

static int ti_tpm12_seal(struct key_type *kt, struct key *key,
			 const struct ti_request *req)
{
	return ti_tpm12_opts(req) ?: ti_stock_sealer.seal(kt, key, req);
}

static const struct ti_sealer ti_tpm12_sealer = {
	.name	= "stock TPM 1.2",
	.seal	= ti_tpm12_seal,
};

const struct ti_sealer *ti_legacy_sealer(void)
{
	return ti_tpm2_sealer_get() ?: &ti_tpm12_sealer;
}
