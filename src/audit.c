// SPDX-License-Identifier: GPL-2.0
/*
 * The audit trail: one record for every import or update, whether it
 * succeeded or not. It names who, which key, how long the key and its blob
 * are and how verification went; never a key byte, hash or fingerprint.
 * Through the kernel audit framework when it is on, else a rate-limited
 * kernel log line.
 */
#include <linux/audit.h>
#include <linux/cred.h>
#include <linux/key.h>
#include <linux/kernel.h>
#include <linux/ratelimit.h>
#include <linux/string.h>
#include <linux/uidgid.h>
#include <keys/trusted-type.h>

/* <keys/trusted-type.h> sets its own pr_fmt; ours must win. */
#undef pr_fmt
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "trusted_import.h"

static DEFINE_RATELIMIT_STATE(ti_audit_rs, DEFAULT_RATELIMIT_INTERVAL,
			      DEFAULT_RATELIMIT_BURST);

/*
 * audit_log_untrustedstring() is not exported, so do what it does: a
 * description that is safe between quotes goes as is, any other as hex.
 */
static void ti_audit_log_desc(struct audit_buffer *ab, const char *desc)
{
	const unsigned char *c;
	size_t len = strlen(desc), i, n;

	for (c = (const unsigned char *)desc; *c; c++)
		if (*c == '"' || *c < 0x21 || *c > 0x7e)
			break;
	if (!*c) {
		audit_log_format(ab, "\"%s\"", desc);
		return;
	}
	/* %*ph prints at most 64 bytes */
	for (i = 0; i < len; i += n) {
		n = min_t(size_t, len - i, 64);
		audit_log_format(ab, "%*phN", (int)n, desc + i);
	}
}

/*
 * @key is NULL when the request was refused before a key existed; then
 * @desc is the description that was asked for. @key_len is used only when
 * @key holds no payload. @ret is 0 or the errno.
 */
void ti_audit(const char *op, const struct key *key, const char *desc,
	      unsigned int key_len, const char *verify, int ret)
{
	const struct trusted_key_payload *p = NULL;
	unsigned int uid = from_kuid(&init_user_ns, current_uid());
	unsigned int blob_len;
	int serial = key ? key->serial : 0;

	if (!desc)
		desc = "";
	/*
	 * A key that holds a payload knows its own length; a failed import's
	 * key holds none. Only a success has a (new) blob worth reporting.
	 */
	if (key)
		p = key->payload.data[0];
	if (p)
		key_len = p->key_len;
	blob_len = p && !ret ? p->blob_len : 0;

	/* without CONFIG_AUDIT, audit_enabled is a constant 0 */
	if (audit_enabled) {
		struct audit_buffer *ab;

		ab = audit_log_start(audit_context(), GFP_KERNEL,
				     AUDIT_KERNEL_OTHER);
		if (!ab)
			return;
		audit_log_format(ab, "op=trusted-import-%s uid=%u key=%d desc=",
				 op, uid, serial);
		ti_audit_log_desc(ab, desc);
		/* audit's res= is 1 or 0; the errno goes alongside */
		audit_log_format(ab, " key_len=%u blob_len=%u verify=%s errno=%d res=%d",
				 key_len, blob_len, verify, ret, ret ? 0 : 1);
		audit_log_end(ab);
		return;
	}
	if (__ratelimit(&ti_audit_rs))
		pr_notice("audit: op=%s uid=%u key=%d desc=\"%*pE\" key_len=%u blob_len=%u verify=%s res=%d\n",
			  op, uid, serial, (int)strlen(desc), desc, key_len,
			  blob_len, verify, ret);
}
