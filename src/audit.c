// SPDX-License-Identifier: GPL-2.0
/*
 * The audit trail: one record for every import or update, whether it
 * succeeded or not. It names who (uid and login uid), which key, where
 * import-key took its bytes from, how long the key and its blob are and how
 * verification went; never a key byte, hash or fingerprint. Through the
 * kernel audit framework when it is on, else a kernel log line; the same
 * text either way.
 *
 * A success is never dropped. Refusals are rate-limited on their own, so
 * that a flood of them (any uid can cause one) cannot crowd out the record
 * of a real import, in the audit backlog or in the log.
 */
#include <linux/audit.h>
#include <linux/cred.h>
#include <linux/key.h>
#include <linux/kernel.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uidgid.h>

#include "ti_request.h"
#include "trusted_import.h"

static DEFINE_RATELIMIT_STATE(ti_audit_refused_rs, DEFAULT_RATELIMIT_INTERVAL,
			      DEFAULT_RATELIMIT_BURST);

/* a record's size; a description longer than TI_AUDIT_DESC_MAX is cut */
#define TI_AUDIT_LEN		1024
#define TI_AUDIT_DESC_MAX	128

static const char *const ti_ref_names[] = {
	[TI_REF_USER] = "user",
	[TI_REF_LOGON] = "logon",
	[TI_REF_ENCRYPTED] = "encrypted",
};

/*
 * What audit_log_untrustedstring() does, which is not exported: a
 * description that is safe between quotes goes as is, any other as hex, so
 * that no description can write a field of its own into the record. It
 * comes last, after desc_len=, so a cut one hides nothing.
 */
static int ti_audit_desc(char *buf, size_t size, const char *desc)
{
	size_t len = strnlen(desc, TI_AUDIT_DESC_MAX), i;

	for (i = 0; i < len; i++) {
		unsigned char c = desc[i];

		if (c == '"' || c < 0x21 || c > 0x7e)
			break;
	}
	if (i == len)
		return scnprintf(buf, size, "\"%.*s\"", (int)len, desc);
	/* %*ph prints at most 64 bytes at a time */
	for (i = 0; i < len && size > 1; i += 64) {
		int n = scnprintf(buf, size, "%*phN",
				  (int)min_t(size_t, len - i, 64), desc + i);

		buf += n;
		size -= n;
	}
	return 0;
}

/*
 * @key is NULL when the request was refused before a key existed; then
 * @desc is the description that was asked for. @req (NULL when the request
 * could not even be parsed) gives the length when @key holds no payload,
 * and import-key's source. @ret is 0 or the errno.
 */
void ti_audit(const struct key_type *kt, const char *op, const struct key *key,
	      const char *desc, const struct ti_request *req,
	      const char *verify, int ret)
{
	unsigned int key_len = req ? req->key_len : 0, blob_len = 0;
	const void *payload = key ? key->payload.data[0] : NULL;
	char *buf;
	int n;

	if (ret && !__ratelimit(&ti_audit_refused_rs))
		return;
	if (!desc)
		desc = "";
	/*
	 * A key that holds a payload knows its own length; a failed import's
	 * key holds none. Only a success has a (new) blob worth reporting.
	 */
	if (payload && kt == &ti_enc_key_type) {
		ti_enc_lens(payload, &key_len, &blob_len);
	} else if (payload) {
		const struct trusted_key_payload *p = payload;

		key_len = p->key_len;
		blob_len = p->blob_len;
	}
	if (ret)
		blob_len = 0;

	buf = kmalloc(TI_AUDIT_LEN, GFP_KERNEL);
	if (!buf) {
		/* the record is lost, but not silently */
		pr_notice("audit: op=%s-%s lost errno=%d res=%d\n",
			  kt->name, op, ret, !ret);
		return;
	}
	n = scnprintf(buf, TI_AUDIT_LEN,
		      "op=%s-%s uid=%u auid=%u key=%d key_len=%u blob_len=%u verify=%s",
		      kt->name, op, from_kuid(&init_user_ns, current_uid()),
		      from_kuid(&init_user_ns, audit_get_loginuid(current)),
		      key ? key->serial : 0, key_len, blob_len, verify);
	if (req && req->cmd == TI_CMD_IMPORT_KEY && req->ref_type > 0 &&
	    req->ref_type < ARRAY_SIZE(ti_ref_names))
		n += scnprintf(buf + n, TI_AUDIT_LEN - n,
			       " src_type=%s src_key=%d src_uid=%d",
			       ti_ref_names[req->ref_type], req->ref_serial,
			       req->ref_serial ? (int)req->ref_uid : -1);
	/* audit's res= is 1 or 0; the errno goes alongside */
	n += scnprintf(buf + n, TI_AUDIT_LEN - n,
		       " errno=%d res=%d desc_len=%zu desc=", ret, !ret,
		       strlen(desc));
	ti_audit_desc(buf + n, TI_AUDIT_LEN - n, desc);

	/* without CONFIG_AUDIT, audit_enabled is a constant 0 */
	if (audit_enabled) {
		struct audit_buffer *ab;

		ab = audit_log_start(audit_context(), GFP_KERNEL,
				     AUDIT_KERNEL_OTHER);
		if (ab) {
			audit_log_format(ab, "%s", buf);
			audit_log_end(ab);
		}
	} else {
		pr_notice("audit: %s\n", buf);
	}
	kfree(buf);
}
