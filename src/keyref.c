// SPDX-License-Identifier: GPL-2.0
/*
 * import-key: take the bytes of a user, logon or encrypted key, so that a
 * migration never has to bring the old key back to userspace (a logon
 * key's bytes, or an encrypted key's decrypted data, cannot even be read
 * from there).
 *
 * Sealing a key makes a blob that whoever can use the TPM's parent may
 * unseal, so import-key is an export of the source's bytes and follows the
 * rules of one: the caller must find the source in its own keyrings
 * (possession, with search permission), and be its owner; for user and
 * encrypted sources it must also hold read permission, asked of the keys
 * core and the LSMs (key_task_permission()) as keyctl read asks. A logon
 * key has no read permission to ask for (the keys core grants none by
 * default, since the type has no read), so there keytype.c's rule does the
 * work: logon and encrypted sources always need CAP_SYS_ADMIN. A kernel
 * locked down for confidentiality refuses import-key outright, because
 * there even root may not read what the kernel holds.
 *
 * Called from ->preparse only. There no key semaphore is held yet; inside
 * ->instantiate the destination keyring's semaphore is, and every key's
 * semaphore shares one lockdep class, so reading the source there would be
 * a nested acquisition of what the keyring core already holds.
 */
#include <linux/err.h>
#include <linux/key.h>
#include <linux/module.h>
#include <linux/cred.h>
#include <linux/rcupdate.h>
#include <linux/security.h>
#include <linux/string.h>
#include <linux/uidgid.h>
#include <linux/ecryptfs.h>
#include <keys/encrypted-type.h>
#include <keys/user-type.h>

#include "ti_request.h"
#include "trusted_import.h"

/*
 * An eCryptfs passphrase key as ecryptfs-utils leaves it: a user key whose
 * payload is a whole struct ecryptfs_auth_tok. For an ecryptfs-format
 * import its FEKEK is the data, so that neither the passphrase nor the
 * FEKEK passes through userspace again. NULL, with *why, if the token
 * cannot be taken.
 */
static const u8 *ti_keyref_auth_tok(const u8 *data, struct ti_request *req,
				    const char **why)
{
	const struct ecryptfs_auth_tok *tok = (const void *)data;
	const struct ecryptfs_password *pw = &tok->token.password;

	if (tok->version != TI_ECRYPTFS_VERSION ||
	    tok->token_type != ECRYPTFS_PASSWORD ||
	    !(pw->flags & ECRYPTFS_SESSION_KEY_ENCRYPTION_KEY_SET) ||
	    pw->session_key_encryption_key_bytes != TI_ECRYPTFS_LEN) {
		*why = "source is no eCryptfs passphrase auth token with its key set";
		return NULL;
	}
	/* eCryptfs finds the key by it: ti_enc_import() holds the name to it */
	memcpy(req->ref_sig, pw->signature, TI_ECRYPTFS_DESC_LEN);
	req->ref_sig[TI_ECRYPTFS_DESC_LEN] = '\0';
	return pw->session_key_encryption_key;
}

/* Copy the source's bytes into @req; its semaphore is read-held. */
static int ti_keyref_copy(const struct key *src, bool encrypted,
			  struct ti_request *req, const char **why)
{
	const u8 *data;
	unsigned int len;

	if (encrypted) {
		const struct encrypted_key_payload *ekp =
			dereference_key_locked(src);

		data = ekp->decrypted_data;
		len = ekp->decrypted_datalen;
	} else {
		const struct user_key_payload *up = user_key_payload_locked(src);

		data = up->data;
		len = up->datalen;
	}
	if (!req->master) {
		if (len < TI_MIN_KEY_LEN || len > TI_MAX_KEY_LEN) {
			*why = "source key is not 32 to 128 bytes long";
			return -EINVAL;
		}
	} else {
		int err;

		if (req->format == TI_FMT_ECRYPTFS &&
		    req->ref_type == TI_REF_USER &&
		    len == sizeof(struct ecryptfs_auth_tok)) {
			data = ti_keyref_auth_tok(data, req, why);
			if (!data)
				return -EINVAL;
			len = TI_ECRYPTFS_LEN;
		}
		err = ti_enc_len_check(req->format, len);
		if (err) {
			*why = ti_parse_strerror(err);
			return -EINVAL;
		}
	}
	memcpy(req->key, data, len);
	req->key_len = len;
	return 0;
}

/*
 * Exported by the keys core (security/keys/permission.c) but declared only
 * in its internal header; the same signature from 5.8 (enum key_need_perm)
 * to today. It asks the permission bits and then the LSMs.
 */
int key_task_permission(const key_ref_t key_ref, const struct cred *cred,
			enum key_need_perm need_perm);

/* May the caller export @src's bytes? Its semaphore is read-held. */
static int ti_keyref_allowed(struct key *src, bool logon, const char **why)
{
	int ret;

	ret = key_validate(src);
	if (!ret && !key_is_positive(src))
		ret = -ENOKEY;
	if (ret) {
		*why = "source key is revoked, expired or not instantiated";
		return ret;
	}
	if (!uid_eq(src->uid, current_fsuid())) {
		*why = "the caller does not own the source key";
		return -EACCES;
	}
	if (logon)
		return 0;
	/* found by request_key_rcu() in the caller's keyrings: possessed */
	ret = key_task_permission(make_key_ref(src, true), current_cred(),
				  KEY_NEED_READ);
	if (ret)
		*why = "the caller may not read the source key (permissions or LSM)";
	return ret;
}

int ti_keyref_read(struct ti_request *req, const char **why)
{
	struct key_type *type, *enc = NULL;
	struct key *src;
	int ret;

	/*
	 * No lockdown reason names "export a kernel-held key"; /proc/kcore's,
	 * reading kernel memory, is what this amounts to and is of the
	 * confidentiality level on every kernel we build for.
	 */
	ret = security_locked_down(LOCKDOWN_KCORE);
	if (ret) {
		*why = "refused while the kernel is locked down for confidentiality";
		return ret;
	}

	switch (req->ref_type) {
	case TI_REF_USER:
		type = &key_type_user;
		break;
	case TI_REF_LOGON:
		type = &key_type_logon;
		break;
	default:
		/* encrypted-keys may be a module: never a hard dependency */
		enc = symbol_get(key_type_encrypted);
		if (!enc) {
			*why = "no encrypted key type in this kernel";
			return -ENOKEY;
		}
		type = enc;
		break;
	}

	/* a search of the caller's keyrings: possession and search permission */
	rcu_read_lock();
	src = request_key_rcu(type, req->ref_desc, NULL);
	rcu_read_unlock();
	if (IS_ERR(src)) {
		ret = PTR_ERR(src);
		if (ret == -EACCES)
			*why = "the caller may not search the source key";
		else if (ret == -EKEYREVOKED)
			*why = "source key is revoked";
		else
			*why = "source key not found (missing, expired or of another type)";
		goto out;
	}
	req->ref_serial = src->serial;
	req->ref_uid = from_kuid(&init_user_ns, src->uid);

	down_read(&src->sem);
	ret = ti_keyref_allowed(src, req->ref_type == TI_REF_LOGON, why);
	if (!ret)
		ret = ti_keyref_copy(src, enc, req, why);
	up_read(&src->sem);
	key_put(src);
out:
	if (enc)
		symbol_put(key_type_encrypted);
	return ret;
}
