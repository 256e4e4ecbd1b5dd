// SPDX-License-Identifier: GPL-2.0
/*
 * import-key: take the bytes of a user, logon or encrypted key that the
 * caller can search, so that a migration never has to bring the old key
 * back to userspace (a logon key's bytes cannot even be read from there).
 *
 * Called from ->preparse only. There no key semaphore is held yet; inside
 * ->instantiate the destination keyring's semaphore is, and every key's
 * semaphore shares one lockdep class, so reading the source there would be
 * a nested acquisition of what the keyring core already holds.
 */
#include <linux/err.h>
#include <linux/key.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <keys/encrypted-type.h>
#include <keys/user-type.h>

#include "ti_payload.h"
#include "trusted_import.h"

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
	if (len < TI_MIN_KEY_LEN || len > TI_MAX_KEY_LEN) {
		*why = "source key is not 32 to 128 bytes long";
		return -EINVAL;
	}
	memcpy(req->key, data, len);
	req->key_len = len;
	return 0;
}

int ti_keyref_read(struct ti_request *req, const char **why)
{
	struct key_type *type, *enc = NULL;
	struct key *src;
	int ret;

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

	down_read(&src->sem);
	ret = key_validate(src);
	if (!ret && !key_is_positive(src))
		ret = -ENOKEY;
	if (ret)
		*why = "source key is revoked, expired or not instantiated";
	else
		ret = ti_keyref_copy(src, enc, req, why);
	up_read(&src->sem);
	key_put(src);
out:
	if (enc)
		symbol_put(key_type_encrypted);
	return ret;
}
