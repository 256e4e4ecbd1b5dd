// SPDX-License-Identifier: GPL-2.0
/*
 * optee_double: a TEST-ONLY stand-in for OP-TEE and its trusted-keys TA.
 *
 * No emulator runs OP-TEE's trusted-keys TA, so the test suite loads this
 * module instead. It registers with the kernel's TEE subsystem as an OP-TEE
 * implementation, puts the TA's device on the TEE bus the way OP-TEE's
 * device enumeration does, and answers the TA protocol that the stock
 * security/keys/trusted-keys/trusted_tee.c speaks. trusted_tee.c, the TEE
 * subsystem and trusted-import all run unmodified on top of it.
 *
 * Blobs are laid out as OP-TEE's TA lays them out: one reserved byte, a
 * 16-byte IV, a 16-byte tag, then the AES-256-GCM ciphertext of the key.
 * The TA derives its AES key from the hardware unique key; this module
 * derives it from the "secret" parameter, a fixed string. Anyone who knows
 * that string unseals every blob: this module offers no security at all.
 * See docs/tee-double.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/aes.h>
#include <crypto/algapi.h>
#include <crypto/sha2.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tee_drv.h>
#include <linux/uuid.h>
#include <linux/xarray.h>

/*
 * Kernel API differences, decided by probes in Kbuild: the TEE driver-side
 * API moved to <linux/tee_core.h> (after 6.1, by 6.12), and aes_encrypt()
 * takes a struct aes_enckey from aes_prepareenckey() instead of a struct
 * crypto_aes_ctx from aes_expandkey() (after 6.12, by 7.3).
 */
#ifdef OD_HAVE_TEE_CORE_H
#include <linux/tee_core.h>
#endif

struct od_aes {
#ifdef OD_HAVE_AES_ENCKEY
	struct aes_enckey k;
#else
	struct crypto_aes_ctx k;
#endif
};

static int od_aes_setkey(struct od_aes *a, const u8 *key, unsigned int len)
{
#ifdef OD_HAVE_AES_ENCKEY
	return aes_prepareenckey(&a->k, key, len);
#else
	return aes_expandkey(&a->k, key, len);
#endif
}

/* GlobalPlatform return codes and origins (TEE Client API) */
#define OD_SUCCESS		0x00000000
#define OD_ERR_ACCESS_DENIED	0xffff0001
#define OD_ERR_BAD_PARAMETERS	0xffff0006
#define OD_ERR_ITEM_NOT_FOUND	0xffff0008
#define OD_ERR_NOT_SUPPORTED	0xffff000a
#define OD_ERR_OUT_OF_MEMORY	0xffff000c
#define OD_ERR_SECURITY		0xffff000f
#define OD_ERR_SHORT_BUFFER	0xffff0010
#define OD_ORIGIN_TEE		3
#define OD_ORIGIN_TA		4

/* The trusted-keys TA: its commands and its blob format */
#define OD_CMD_GET_RANDOM	0
#define OD_CMD_SEAL		1
#define OD_CMD_UNSEAL		2
#define OD_IV_SIZE		16
#define OD_TAG_SIZE		16
#define OD_HDR_SIZE		(1 + OD_IV_SIZE + OD_TAG_SIZE)
#define OD_MAX_BUF		512
#define OD_NUM_PARAMS		4

static const uuid_t od_ta_uuid =
	UUID_INIT(0xf04a0fe7, 0x1f5d, 0x4b9b,
		  0xab, 0xf7, 0x61, 0x9b, 0x85, 0xb4, 0xce, 0x8c);

static char *od_secret = "optee_double: fixed TEST-ONLY secret, not a hardware unique key";
module_param_named(secret, od_secret, charp, 0);
MODULE_PARM_DESC(secret,
		 "TEST ONLY: string the sealing key is derived from (stands in for the hardware unique key)");

/* What the TA did, for the tests (read-only) */
static unsigned int od_seals, od_unseals, od_randoms, od_rejects;
module_param_named(seals, od_seals, uint, 0444);
MODULE_PARM_DESC(seals, "Keys sealed");
module_param_named(unseals, od_unseals, uint, 0444);
MODULE_PARM_DESC(unseals, "Blobs unsealed");
module_param_named(randoms, od_randoms, uint, 0444);
MODULE_PARM_DESC(randoms, "Random requests served");
module_param_named(rejects, od_rejects, uint, 0444);
MODULE_PARM_DESC(rejects, "Blobs refused because their tag did not verify");

struct od_gcm {
	struct od_aes aes;
	u8 h[16];
};

/* The TA runs one command at a time, like a single-instance TA. */
static DEFINE_MUTEX(od_ta_lock);
static struct od_gcm od_key;		/* under od_ta_lock */
/* open sessions: id -> the tee_context that opened it */
static DEFINE_XARRAY_ALLOC1(od_sessions);

static struct device *od_root;
static struct tee_device *od_teedev;
static struct tee_client_device *od_ta_dev;

/* --- AES-GCM (NIST SP 800-38D) on the AES library, any IV length --- */

static void od_xor(u8 *dst, const u8 *src, size_t len)
{
	while (len--)
		*dst++ ^= *src++;
}

static u64 od_be64(const u8 *p)
{
	u64 v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void od_put_be64(u64 v, u8 *p)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = v & 0xff;
}

/* x = x * h in GF(2^128), GCM's bit order */
static void od_gf128_mul(u8 x[16], const u8 h[16])
{
	u64 vh = od_be64(h), vl = od_be64(h + 8);
	u64 zh = 0, zl = 0, mask;
	int i;

	for (i = 0; i < 128; i++) {
		mask = -(u64)((x[i / 8] >> (7 - i % 8)) & 1);
		zh ^= vh & mask;
		zl ^= vl & mask;
		mask = -(vl & 1);
		vl = (vl >> 1) | (vh << 63);
		vh = (vh >> 1) ^ (0xe100000000000000ULL & mask);
	}
	od_put_be64(zh, x);
	od_put_be64(zl, x + 8);
}

/* y = GHASH_H(y, data zero-padded to whole blocks) */
static void od_ghash(const struct od_gcm *g, u8 y[16], const u8 *data,
		     size_t len)
{
	size_t n;

	while (len) {
		n = min_t(size_t, len, 16);
		od_xor(y, data, n);
		od_gf128_mul(y, g->h);
		data += n;
		len -= n;
	}
}

static void od_ghash_lengths(const struct od_gcm *g, u8 y[16], u64 a_bytes,
			     u64 c_bytes)
{
	u8 block[16];

	od_put_be64(a_bytes * 8, block);
	od_put_be64(c_bytes * 8, block + 8);
	od_ghash(g, y, block, sizeof(block));
}

/* the counter block's last 32 bits, big endian, plus one */
static void od_inc32(u8 cb[16])
{
	int i;

	for (i = 15; i >= 12; i--)
		if (++cb[i])
			break;
}

static int od_gcm_setkey(struct od_gcm *g, const u8 *key, unsigned int len)
{
	int ret;

	ret = od_aes_setkey(&g->aes, key, len);
	if (ret)
		return ret;
	memset(g->h, 0, sizeof(g->h));
	aes_encrypt(&g->aes.k, g->h, g->h);
	return 0;
}

/*
 * Encrypt or decrypt @len bytes from @in to @out (which may be the same)
 * and compute the tag over the ciphertext; no additional data.
 */
static void od_gcm_crypt(const struct od_gcm *g, const u8 *iv,
			 unsigned int iv_len, const u8 *in, u8 *out,
			 size_t len, bool enc, u8 tag[OD_TAG_SIZE])
{
	u8 j0[16] = {}, cb[16], ks[16], s[16] = {};
	size_t i, n;

	if (iv_len == 12) {
		memcpy(j0, iv, 12);
		j0[15] = 1;
	} else {
		od_ghash(g, j0, iv, iv_len);
		od_ghash_lengths(g, j0, 0, iv_len);
	}
	if (!enc)
		od_ghash(g, s, in, len);
	memcpy(cb, j0, sizeof(cb));
	for (i = 0; i < len; i += n) {
		od_inc32(cb);
		aes_encrypt(&g->aes.k, ks, cb);
		n = min_t(size_t, len - i, 16);
		if (out != in)
			memcpy(out + i, in + i, n);
		od_xor(out + i, ks, n);
	}
	if (enc)
		od_ghash(g, s, out, len);
	od_ghash_lengths(g, s, 0, len);
	aes_encrypt(&g->aes.k, tag, j0);
	od_xor(tag, s, OD_TAG_SIZE);
	memzero_explicit(ks, sizeof(ks));
}

/*
 * Known answer, from OpenSSL (python3-cryptography's AESGCM): key 00..1f,
 * IV a0..af (16 bytes, as the TA uses), plaintext 40..67, no AAD.
 */
static const u8 od_kat_ct[40] = {
	0x6a, 0xe2, 0x61, 0xff, 0x5c, 0x88, 0x8b, 0x31,
	0x8b, 0xd7, 0x55, 0xfa, 0xa1, 0x59, 0xc3, 0xdf,
	0xd2, 0x14, 0x11, 0x2a, 0x2a, 0x61, 0x07, 0xfb,
	0xa5, 0x4b, 0x30, 0xed, 0x45, 0x68, 0x78, 0xd8,
	0x6c, 0xf0, 0x84, 0x00, 0xf1, 0xb6, 0xd9, 0xda,
};

static const u8 od_kat_tag[OD_TAG_SIZE] = {
	0xd8, 0x08, 0x04, 0xf4, 0xc9, 0x79, 0x46, 0x80,
	0xf9, 0x1b, 0xdf, 0x02, 0xdf, 0x2d, 0xd5, 0x23,
};

static int od_gcm_selftest(void)
{
	u8 key[32], iv[OD_IV_SIZE], pt[40], buf[40], tag[OD_TAG_SIZE];
	struct od_gcm g;
	int ret = -EINVAL;
	size_t i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = i;
	for (i = 0; i < sizeof(iv); i++)
		iv[i] = 0xa0 + i;
	for (i = 0; i < sizeof(pt); i++)
		pt[i] = 0x40 + i;
	if (od_gcm_setkey(&g, key, sizeof(key)))
		goto out;
	od_gcm_crypt(&g, iv, sizeof(iv), pt, buf, sizeof(pt), true, tag);
	if (memcmp(buf, od_kat_ct, sizeof(buf)) || memcmp(tag, od_kat_tag, sizeof(tag)))
		goto out;
	od_gcm_crypt(&g, iv, sizeof(iv), buf, buf, sizeof(buf), false, tag);
	if (memcmp(buf, pt, sizeof(pt)) || memcmp(tag, od_kat_tag, sizeof(tag)))
		goto out;
	ret = 0;
out:
	memzero_explicit(&g, sizeof(g));
	return ret;
}

/* --- shared memory: what the secure world sees of registered pages --- */

/* The memref's [off, off + len) must lie inside a shm of this device. */
static bool od_memref_ok(const struct tee_param_memref *m, size_t len)
{
	size_t end;

	if (!m->shm || !m->shm->pages || !m->shm->ctx ||
	    m->shm->ctx->teedev != od_teedev)
		return false;
	return !check_add_overflow(m->shm_offs, len, &end) &&
	       end <= m->shm->size;
}

/* Copy between a buffer and a memref's pages; to_shm picks the way. */
static void od_shm_copy(const struct tee_param_memref *m, size_t off,
			void *buf, size_t len, bool to_shm)
{
	size_t pos = m->shm->offset + m->shm_offs + off, n;
	struct page *page;
	u8 *p = buf;

	while (len) {
		page = m->shm->pages[pos / PAGE_SIZE];
		n = min_t(size_t, len, PAGE_SIZE - pos % PAGE_SIZE);
		if (to_shm)
			memcpy_to_page(page, pos % PAGE_SIZE, p, n);
		else
			memcpy_from_page(p, page, pos % PAGE_SIZE, n);
		pos += n;
		p += n;
		len -= n;
	}
}

/* --- the trusted-keys TA --- */

static u32 od_ta_get_random(struct tee_param_memref *out)
{
	u8 buf[64];
	size_t off, n;

	if (!out->size || !od_memref_ok(out, out->size))
		return OD_ERR_BAD_PARAMETERS;
	for (off = 0; off < out->size; off += n) {
		n = min_t(size_t, out->size - off, sizeof(buf));
		get_random_bytes(buf, n);
		od_shm_copy(out, off, buf, n, true);
	}
	memzero_explicit(buf, sizeof(buf));
	od_randoms++;
	return OD_SUCCESS;
}

/*
 * The output memref must be a valid buffer; one shorter than @need gets
 * TEE_ERROR_SHORT_BUFFER with the size it needs, as GlobalPlatform says.
 */
static u32 od_out_room(struct tee_param_memref *out, size_t need)
{
	if (out->size > OD_MAX_BUF || !od_memref_ok(out, out->size))
		return OD_ERR_BAD_PARAMETERS;
	if (out->size < need) {
		out->size = need;
		return OD_ERR_SHORT_BUFFER;
	}
	return OD_SUCCESS;
}

static u32 od_ta_seal(struct tee_param_memref *in,
		      struct tee_param_memref *out)
{
	size_t klen = in->size, blen = klen + OD_HDR_SIZE;
	u8 *key, *blob;
	u32 ret;

	if (!klen || klen > OD_MAX_BUF || !od_memref_ok(in, klen))
		return OD_ERR_BAD_PARAMETERS;
	ret = od_out_room(out, blen);
	if (ret != OD_SUCCESS)
		return ret;
	key = kmalloc(klen, GFP_KERNEL);
	blob = kmalloc(blen, GFP_KERNEL);
	if (!key || !blob) {
		ret = OD_ERR_OUT_OF_MEMORY;
		goto out;
	}
	od_shm_copy(in, 0, key, klen, false);
	blob[0] = 0;	/* reserved */
	get_random_bytes(blob + 1, OD_IV_SIZE);
	od_gcm_crypt(&od_key, blob + 1, OD_IV_SIZE, key, blob + OD_HDR_SIZE,
		     klen, true, blob + 1 + OD_IV_SIZE);
	od_shm_copy(out, 0, blob, blen, true);
	out->size = blen;
	od_seals++;
	ret = OD_SUCCESS;
out:
	kfree_sensitive(key);
	kfree(blob);
	return ret;
}

static u32 od_ta_unseal(struct tee_param_memref *in,
			struct tee_param_memref *out)
{
	size_t blen = in->size, klen;
	u8 *blob, *key = NULL, tag[OD_TAG_SIZE];
	u32 ret;

	if (blen <= OD_HDR_SIZE || blen > OD_MAX_BUF || !od_memref_ok(in, blen))
		return OD_ERR_BAD_PARAMETERS;
	klen = blen - OD_HDR_SIZE;
	ret = od_out_room(out, klen);
	if (ret != OD_SUCCESS)
		return ret;
	blob = kmalloc(blen, GFP_KERNEL);
	key = kmalloc(klen, GFP_KERNEL);
	if (!blob || !key) {
		ret = OD_ERR_OUT_OF_MEMORY;
		goto out;
	}
	od_shm_copy(in, 0, blob, blen, false);
	od_gcm_crypt(&od_key, blob + 1, OD_IV_SIZE, blob + OD_HDR_SIZE, key,
		     klen, false, tag);
	if (crypto_memneq(tag, blob + 1 + OD_IV_SIZE, OD_TAG_SIZE)) {
		od_rejects++;
		ret = OD_ERR_SECURITY;
		goto out;
	}
	od_shm_copy(out, 0, key, klen, true);
	out->size = klen;
	od_unseals++;
	ret = OD_SUCCESS;
out:
	memzero_explicit(tag, sizeof(tag));
	kfree(blob);
	kfree_sensitive(key);
	return ret;
}

static u64 od_param_type(const struct tee_param *param, u32 num, u32 i)
{
	if (i >= num)
		return TEE_IOCTL_PARAM_ATTR_TYPE_NONE;
	return param[i].attr & TEE_IOCTL_PARAM_ATTR_TYPE_MASK;
}

/* The GlobalPlatform parameter types must be exactly t0..t3. */
static bool od_params_are(const struct tee_param *param, u32 num, u64 t0,
			  u64 t1)
{
	return od_param_type(param, num, 0) == t0 &&
	       od_param_type(param, num, 1) == t1 &&
	       od_param_type(param, num, 2) == TEE_IOCTL_PARAM_ATTR_TYPE_NONE &&
	       od_param_type(param, num, 3) == TEE_IOCTL_PARAM_ATTR_TYPE_NONE;
}

static u32 od_ta_invoke(u32 cmd, struct tee_param *param, u32 num)
{
	const u64 in = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT;
	const u64 out = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT;
	const u64 none = TEE_IOCTL_PARAM_ATTR_TYPE_NONE;

	switch (cmd) {
	case OD_CMD_GET_RANDOM:
		if (!od_params_are(param, num, out, none))
			return OD_ERR_BAD_PARAMETERS;
		return od_ta_get_random(&param[0].u.memref);
	case OD_CMD_SEAL:
		if (!od_params_are(param, num, in, out))
			return OD_ERR_BAD_PARAMETERS;
		return od_ta_seal(&param[0].u.memref, &param[1].u.memref);
	case OD_CMD_UNSEAL:
		if (!od_params_are(param, num, in, out))
			return OD_ERR_BAD_PARAMETERS;
		return od_ta_unseal(&param[0].u.memref, &param[1].u.memref);
	default:
		return OD_ERR_NOT_SUPPORTED;
	}
}

/* --- the TEE driver --- */

static void od_get_version(struct tee_device *teedev,
			   struct tee_ioctl_version_data *vers)
{
	struct tee_ioctl_version_data v = {
		.impl_id = TEE_IMPL_ID_OPTEE,
		.impl_caps = TEE_OPTEE_CAP_TZ,
		.gen_caps = TEE_GEN_CAP_GP | TEE_GEN_CAP_REG_MEM,
	};

	*vers = v;
}

static int od_open(struct tee_context *ctx)
{
	return 0;
}

static void od_release(struct tee_context *ctx)
{
	unsigned long id;
	void *owner;

	xa_for_each(&od_sessions, id, owner)
		if (owner == ctx)
			xa_erase(&od_sessions, id);
}

static int od_open_session(struct tee_context *ctx,
			   struct tee_ioctl_open_session_arg *arg,
			   struct tee_param *param)
{
	u32 id;
	int ret;

	arg->ret_origin = OD_ORIGIN_TEE;
	if (memcmp(arg->uuid, od_ta_uuid.b, sizeof(od_ta_uuid.b))) {
		arg->ret = OD_ERR_ITEM_NOT_FOUND;
		return 0;
	}
	/* like the TA: only the kernel may open a session */
	arg->ret_origin = OD_ORIGIN_TA;
	if (arg->clnt_login != TEE_IOCTL_LOGIN_REE_KERNEL) {
		arg->ret = OD_ERR_ACCESS_DENIED;
		return 0;
	}
	ret = xa_alloc(&od_sessions, &id, ctx, xa_limit_31b, GFP_KERNEL);
	if (ret)
		return ret;
	arg->session = id;
	arg->ret = OD_SUCCESS;
	return 0;
}

static int od_close_session(struct tee_context *ctx, u32 session)
{
	if (xa_load(&od_sessions, session) != ctx)
		return -EINVAL;
	xa_erase(&od_sessions, session);
	return 0;
}

static int od_invoke_func(struct tee_context *ctx,
			  struct tee_ioctl_invoke_arg *arg,
			  struct tee_param *param)
{
	if (xa_load(&od_sessions, arg->session) != ctx)
		return -EINVAL;
	arg->ret_origin = OD_ORIGIN_TA;
	if (arg->num_params > OD_NUM_PARAMS || (arg->num_params && !param)) {
		arg->ret = OD_ERR_BAD_PARAMETERS;
		return 0;
	}
	mutex_lock(&od_ta_lock);
	arg->ret = od_ta_invoke(arg->func, param, arg->num_params);
	mutex_unlock(&od_ta_lock);
	return 0;
}

/* The TA reads and writes registered pages when it is invoked. */
static int od_shm_register(struct tee_context *ctx, struct tee_shm *shm,
			   struct page **pages, size_t num_pages,
			   unsigned long start)
{
	return 0;
}

static int od_shm_unregister(struct tee_context *ctx, struct tee_shm *shm)
{
	return 0;
}

static const struct tee_driver_ops od_ops = {
	.get_version = od_get_version,
	.open = od_open,
	.release = od_release,
	.open_session = od_open_session,
	.close_session = od_close_session,
	.invoke_func = od_invoke_func,
	.shm_register = od_shm_register,
	.shm_unregister = od_shm_unregister,
};

static const struct tee_desc od_desc = {
	.name = KBUILD_MODNAME "-clnt",
	.ops = &od_ops,
	.owner = THIS_MODULE,
};

/* --- the TA's device on the TEE bus, as OP-TEE enumerates it --- */

static void od_ta_dev_release(struct device *dev)
{
	kfree(to_tee_client_device(dev));
}

static int od_ta_dev_add(void)
{
	struct tee_client_device *tcdev;
	int ret;

	tcdev = kzalloc(sizeof(*tcdev), GFP_KERNEL);
	if (!tcdev)
		return -ENOMEM;
	tcdev->dev.bus = &tee_bus_type;
	tcdev->dev.parent = od_root;
	tcdev->dev.release = od_ta_dev_release;
	uuid_copy(&tcdev->id.uuid, &od_ta_uuid);
	ret = dev_set_name(&tcdev->dev, "optee-ta-%pUb", &od_ta_uuid);
	if (ret) {
		kfree(tcdev);
		return ret;
	}
	/* trusted_tee.c's probe may run right here */
	ret = device_register(&tcdev->dev);
	if (ret) {
		put_device(&tcdev->dev);
		return ret;
	}
	od_ta_dev = tcdev;
	return 0;
}

/* The sealing key: SHA-256 of a label and the test secret. */
static int od_derive_key(void)
{
	u8 key[SHA256_DIGEST_SIZE];
	char *material;
	int ret;

	material = kasprintf(GFP_KERNEL, "optee_double trusted-keys v1:%s",
			     od_secret ? od_secret : "");
	if (!material)
		return -ENOMEM;
	sha256(material, strlen(material), key);
	kfree_sensitive(material);
	ret = od_gcm_setkey(&od_key, key, sizeof(key));
	memzero_explicit(key, sizeof(key));
	return ret;
}

static int __init od_init(void)
{
	int ret;

	ret = od_gcm_selftest();
	if (ret) {
		pr_err("AES-GCM self-test failed\n");
		return ret;
	}
	ret = od_derive_key();
	if (ret)
		goto err_key;
	od_root = root_device_register(KBUILD_MODNAME);
	if (IS_ERR(od_root)) {
		ret = PTR_ERR(od_root);
		goto err_key;
	}
	od_teedev = tee_device_alloc(&od_desc, od_root, NULL, NULL);
	if (IS_ERR(od_teedev)) {
		ret = PTR_ERR(od_teedev);
		goto err_root;
	}
	ret = tee_device_register(od_teedev);
	if (ret)
		goto err_teedev;
	pr_warn("TEST ONLY: fake OP-TEE with a fake trusted-keys TA; its blobs are sealed under a key derived from a module parameter and protect nothing\n");
	ret = od_ta_dev_add();
	if (ret)
		goto err_teedev;
	return 0;

err_teedev:
	tee_device_unregister(od_teedev);
err_root:
	root_device_unregister(od_root);
err_key:
	memzero_explicit(&od_key, sizeof(od_key));
	return ret;
}

static void __exit od_exit(void)
{
	/* unbinds trusted_tee.c, which closes its session and context */
	device_unregister(&od_ta_dev->dev);
	/* waits until every context and shared buffer is gone */
	tee_device_unregister(od_teedev);
	root_device_unregister(od_root);
	xa_destroy(&od_sessions);
	memzero_explicit(&od_key, sizeof(od_key));
}

module_init(od_init);
module_exit(od_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("trusted-import developers");
MODULE_DESCRIPTION("TEST ONLY: fake OP-TEE trusted-keys TA for trusted-import's tests; offers no security");
