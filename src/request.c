// SPDX-License-Identifier: GPL-2.0
/*
 * Parser for the trusted-import request, the data that add_key() and
 * keyctl update hand the key type (grammar in include/ti_request.h).
 *
 * It uses nothing but <string.h> functions, so that the unit tests and the
 * fuzzer run this very file in userspace. It never logs: the caller decides
 * what to say, from ti_parse_strerror() and the sanitised bad_name.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/string.h>
#else
#include <string.h>
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#include "ti_request.h"

/* Every option the stock trusted type knows, in any backend. */
const struct ti_opt_info ti_opt_info[TI_OPT_NR] = {
#define TI_OPT(id, name, flags) \
	[TI_OPT_##id] = { #name, sizeof(#name) - 1, flags },
#include "ti_options.h"
};

#define TI_LOGGABLE_NAME_MAX	24

static const char *const ti_parse_msgs[TI_PARSE_ERR_MAX] = {
	[TI_PARSE_OK]		= "ok",
	[TI_PARSE_EMPTY]	= "empty payload",
	[TI_PARSE_TOO_LONG]	= "payload longer than 32767 bytes",
	[TI_PARSE_NUL]		= "NUL byte in payload",
	[TI_PARSE_BAD_CHAR]	= "control or non-ASCII character in payload",
	[TI_PARSE_UNKNOWN_CMD]	= "unknown command (want import, import-key or update)",
	[TI_PARSE_NO_HEX]	= "no hex key after 'import'",
	[TI_PARSE_HEX_CHAR]	= "non-hex character in key",
	[TI_PARSE_HEX_ODD]	= "odd number of hex digits in key",
	[TI_PARSE_KEY_SHORT]	= "key shorter than 32 bytes",
	[TI_PARSE_KEY_LONG]	= "key longer than 128 bytes",
	[TI_PARSE_OPT_FORM]	= "option not of the form name=value",
	[TI_PARSE_OPT_UNKNOWN]	= "unknown option",
	[TI_PARSE_OPT_VALUE]	= "bad value for a trusted-import option (want 0 or 1)",
	[TI_PARSE_KEYREF]	= "import-key wants user:, logon: or encrypted: and a description",
	[TI_PARSE_OPT_REPEAT]	= "a trusted-import option given twice",
	[TI_PARSE_MASTER]	= "want the master key as trusted:<desc> or user:<desc>",
	[TI_PARSE_DATA_SHORT]	= "decrypted data shorter than 20 bytes",
	[TI_PARSE_DATA_LONG]	= "decrypted data longer than 4096 bytes",
	[TI_PARSE_FORMAT_LEN]	= "format ecryptfs takes 64 bytes of data, enc32 32",
	[TI_PARSE_ENC_CMD]	= "unknown command (want import or import-key)",
};

const char *const ti_enc_format_name[TI_FMT_NR] = {
	[TI_FMT_DEFAULT]	= "default",
	[TI_FMT_ECRYPTFS]	= "ecryptfs",
	[TI_FMT_ENC32]		= "enc32",
};

const char *ti_parse_strerror(int err)
{
	if (err < 0 || err >= TI_PARSE_ERR_MAX)
		return "unknown error";
	return ti_parse_msgs[err];
}

static int ti_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * The value of a hex digit, or -1: without a branch or a table lookup on
 * @c, because key bytes pass through here (the kernel's own hex_to_bin()
 * is constant-time only since 5.18, and this file also builds in
 * userspace). Each term is the digit's value + 1 masked by an all-ones
 * byte when @c is in its range, found by the sign bits of two subtractions.
 */
static int ti_hexval(char ch)
{
	unsigned char c = ch, cu = c & 0xdf;

	return -1 +
		((c - '0' + 1) & (unsigned int)((c - '9' - 1) & ('0' - 1 - c)) >> 8) +
		((cu - 'A' + 11) & (unsigned int)((cu - 'F' - 1) & ('A' - 1 - cu)) >> 8);
}

/* The next blank-separated token in [*pos, end), or NULL at the end. */
static const char *ti_next_token(const char **pos, const char *end,
				 size_t *len)
{
	const char *p = *pos, *start;

	while (p < end && ti_is_blank(*p))
		p++;
	if (p == end)
		return NULL;
	start = p;
	while (p < end && !ti_is_blank(*p))
		p++;
	*pos = p;
	*len = p - start;
	return start;
}

int ti_hex_decode(unsigned char *dst, const char *src, size_t n)
{
	size_t i;
	int bad = 0, hi, lo;

	for (i = 0; i < n; i++) {
		hi = ti_hexval(src[2 * i]);
		lo = ti_hexval(src[2 * i + 1]);
		bad |= hi | lo;
		dst[i] = (unsigned char)((unsigned int)hi << 4 | (unsigned int)lo);
	}
	return bad;
}

/* A trusted key's length, as the stock type allows it. */
static int ti_key_len_check(const struct ti_request *req, size_t len)
{
	(void)req;	/* the same limits for every trusted request */
	if (len < TI_MIN_KEY_LEN)
		return TI_PARSE_KEY_SHORT;
	if (len > TI_MAX_KEY_LEN)
		return TI_PARSE_KEY_LONG;
	return TI_PARSE_OK;
}

/* An encrypted key's data length, for its format (ti_enc_len_check()). */
static int ti_enc_req_len_check(const struct ti_request *req, size_t len)
{
	return ti_enc_len_check(req->format, len);
}

/*
 * import's hex token into req->key, its length judged by @len_check
 * (the grammar's limits) before a digit is decoded.
 */
static int ti_parse_hex(const char **pos, const char *end,
			struct ti_request *req,
			int (*len_check)(const struct ti_request *req, size_t len))
{
	const char *tok;
	size_t n;
	int err;

	tok = ti_next_token(pos, end, &n);
	if (!tok || memchr(tok, '=', n))
		return TI_PARSE_NO_HEX;
	/* the length is public; the digits are not */
	if (n % 2)
		return TI_PARSE_HEX_ODD;
	err = len_check(req, n / 2);
	if (err)
		return err;
	if (ti_hex_decode(req->key, tok, n / 2) < 0)
		return TI_PARSE_HEX_CHAR;
	req->key_len = n / 2;
	return TI_PARSE_OK;
}

/*
 * A name is safe to log only if it cannot be key material: lower-case
 * letters, '_' and '.', and at least one character that is not a hex digit.
 */
static int ti_name_loggable(const char *name, size_t n)
{
	int non_hex = 0;
	size_t i;

	if (n > TI_LOGGABLE_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || c == '_' || c == '.'))
			return 0;
		if (ti_hexval(c) < 0)
			non_hex = 1;
	}
	return non_hex;
}

int ti_opt_lookup(const char *name, unsigned int n)
{
	int i;

	for (i = 0; i < TI_OPT_NR; i++)
		if (ti_opt_info[i].name_len == n &&
		    !memcmp(ti_opt_info[i].name, name, n))
			return i;
	return -1;
}

/* Our own options: they configure us and are never passed on. */
static int ti_parse_own_opt(const char *name, size_t nlen, const char *val,
			    size_t vlen, struct ti_request *req)
{
	if (nlen == 6 && !memcmp(name, "verify", 6)) {
		if (vlen != 1 || (val[0] != '0' && val[0] != '1'))
			return TI_PARSE_OPT_VALUE;
		/* a second ti.verify= could quietly undo the first */
		if (req->verify_set)
			return TI_PARSE_OPT_REPEAT;
		req->verify = val[0] - '0';
		req->verify_set = 1;
		return TI_PARSE_OK;
	}
	return TI_PARSE_OPT_UNKNOWN;
}

/*
 * Sets *own when the option is ours, so that the caller drops it, and
 * otherwise *id to the stock option it is.
 */
static int ti_parse_opt(const char *tok, size_t n, struct ti_request *req,
			int *own, int *id)
{
	const size_t plen = sizeof(TI_OPT_PREFIX) - 1;
	const char *eq = memchr(tok, '=', n);
	size_t nlen;
	int err;

	if (!eq || eq == tok || eq == tok + n - 1)
		return TI_PARSE_OPT_FORM;
	nlen = eq - tok;
	*own = nlen > plen && !memcmp(tok, TI_OPT_PREFIX, plen);
	if (*own) {
		err = ti_parse_own_opt(tok + plen, nlen - plen, eq + 1,
				       n - nlen - 1, req);
	} else {
		*id = ti_opt_lookup(tok, nlen);
		err = *id >= 0 ? TI_PARSE_OK : TI_PARSE_OPT_UNKNOWN;
	}
	if (err == TI_PARSE_OPT_UNKNOWN && ti_name_loggable(tok, nlen)) {
		req->bad_name = tok;
		req->bad_name_len = nlen;
	}
	return err;
}

static const struct {
	const char *prefix;
	enum ti_ref_type type;
} ti_ref_types[] = {
	{ "user:", TI_REF_USER },
	{ "logon:", TI_REF_LOGON },
	{ "encrypted:", TI_REF_ENCRYPTED },
};

/* "<type>:<description>" into req, the description copied to @buf. */
static int ti_parse_keyref(const char *tok, size_t n, struct ti_request *req,
			   char *buf)
{
	size_t i, plen;

	for (i = 0; i < ARRAY_SIZE(ti_ref_types); i++) {
		plen = strlen(ti_ref_types[i].prefix);
		if (n > plen && !memcmp(tok, ti_ref_types[i].prefix, plen)) {
			req->ref_type = ti_ref_types[i].type;
			req->ref_desc = buf;
			memcpy(buf, tok + plen, n - plen);
			buf[n - plen] = '\0';
			return TI_PARSE_OK;
		}
	}
	return TI_PARSE_KEYREF;
}

/*
 * What both grammars share: reset @req, check the bytes, and read the
 * command word into req->cmd. Leaves *pos after it and *end at the end
 * of what is to be parsed.
 */
static int ti_parse_begin(const char *data, size_t len, struct ti_request *req,
			  char *optbuf, struct ti_opt *opt, const char **pos,
			  const char **end)
{
	const char *tok;
	size_t i, n;

	memset(req, 0, sizeof(*req));
	req->verify = 1;
	req->opts = optbuf;
	req->opt = opt;
	optbuf[0] = '\0';

	if (len == 0)
		return TI_PARSE_EMPTY;
	if (len > TI_MAX_REQUEST)
		return TI_PARSE_TOO_LONG;
	/* one trailing newline, so that files written by echo work */
	if (data[len - 1] == '\n')
		len--;
	for (i = 0; i < len; i++) {
		unsigned char c = data[i];

		if (c == '\0')
			return TI_PARSE_NUL;
		if ((c < 0x20 && c != '\t') || c >= 0x7f)
			return TI_PARSE_BAD_CHAR;
	}

	*pos = data;
	*end = data + len;
	tok = ti_next_token(pos, *end, &n);
	if (!tok)
		return TI_PARSE_EMPTY;
	if (n == 6 && !memcmp(tok, "import", 6))
		req->cmd = TI_CMD_IMPORT;
	else if (n == 10 && !memcmp(tok, "import-key", 10))
		req->cmd = TI_CMD_IMPORT_KEY;
	else if (n == 6 && !memcmp(tok, "update", 6))
		req->cmd = TI_CMD_UPDATE;
	else
		return TI_PARSE_UNKNOWN_CMD;
	return TI_PARSE_OK;
}

/*
 * import-key's "<type>:<desc>" token, copied to @buf; the options then
 * follow its NUL, where req->opts is moved.
 */
static int ti_parse_keyref_tok(const char **pos, const char *end,
			       struct ti_request *req, char *buf)
{
	const char *tok;
	size_t n;
	int err;

	tok = ti_next_token(pos, end, &n);
	if (!tok)
		return TI_PARSE_KEYREF;
	err = ti_parse_keyref(tok, n, req, buf);
	if (err)
		return err;
	req->opts = buf + n + 1;
	req->opts[0] = '\0';
	return TI_PARSE_OK;
}

int ti_parse(const char *data, size_t len, struct ti_request *req,
	     char *optbuf, struct ti_opt *opt)
{
	const size_t max_opts = TI_MAX_OPTS(len);
	const char *pos, *end, *tok;
	size_t n, olen = 0;
	int err;

	err = ti_parse_begin(data, len, req, optbuf, opt, &pos, &end);
	if (err)
		return err;

	if (req->cmd == TI_CMD_IMPORT) {
		err = ti_parse_hex(&pos, end, req, ti_key_len_check);
		if (err)
			return err;
	}
	if (req->cmd == TI_CMD_IMPORT_KEY) {
		err = ti_parse_keyref_tok(&pos, end, req, optbuf);
		if (err)
			return err;
		optbuf = req->opts;
	}

	while ((tok = ti_next_token(&pos, end, &n))) {
		int own, id = -1;

		err = ti_parse_opt(tok, n, req, &own, &id);
		if (err)
			return err;
		if (own)
			continue;
		/* cannot happen (TI_MAX_OPTS()); never write past @opt */
		if (req->nr_opts == max_opts)
			return TI_PARSE_TOO_LONG;
		if (olen)
			optbuf[olen++] = ' ';
		opt[req->nr_opts].id = id;
		opt[req->nr_opts].off = olen;
		opt[req->nr_opts].len = n;
		req->nr_opts++;
		memcpy(optbuf + olen, tok, n);
		olen += n;
		optbuf[olen] = '\0';
	}
	return TI_PARSE_OK;
}

void ti_enc_len_range(enum ti_enc_format format, size_t *min, size_t *max)
{
	if (format == TI_FMT_ECRYPTFS) {
		*min = *max = TI_ECRYPTFS_LEN;
	} else if (format == TI_FMT_ENC32) {
		*min = *max = TI_ENC32_LEN;
	} else {
		*min = TI_ENC_MIN_LEN;
		*max = TI_ENC_MAX_LEN;
	}
}

int ti_enc_len_check(enum ti_enc_format format, size_t len)
{
	size_t min, max;

	ti_enc_len_range(format, &min, &max);
	if (min == max && len != min)
		return TI_PARSE_FORMAT_LEN;
	if (len < min)
		return TI_PARSE_DATA_SHORT;
	if (len > max)
		return TI_PARSE_DATA_LONG;
	return TI_PARSE_OK;
}

static const char *const ti_masters[] = { "trusted:", "user:" };

int ti_enc_master_ok(const char *tok, size_t n)
{
	size_t i, plen;

	for (i = 0; i < ARRAY_SIZE(ti_masters); i++) {
		plen = strlen(ti_masters[i]);
		if (n > plen && !memcmp(tok, ti_masters[i], plen))
			return 1;
	}
	return 0;
}

int ti_ecryptfs_desc_ok(const char *desc)
{
	size_t i;

	for (i = 0; i < TI_ECRYPTFS_DESC_LEN; i++)
		if (ti_hexval(desc[i]) < 0)
			return 0;
	return desc[i] == '\0';
}

/* "<trusted:|user:><desc>", as the stock valid_master_desc() wants it */
static int ti_parse_master(const char *tok, size_t n, struct ti_request *req,
			   char *buf)
{
	if (!ti_enc_master_ok(tok, n))
		return TI_PARSE_MASTER;
	memcpy(buf, tok, n);
	buf[n] = '\0';
	req->master = buf;
	return TI_PARSE_OK;
}

int ti_parse_enc(const char *data, size_t len, struct ti_request *req,
		 char *optbuf, struct ti_opt *opt)
{
	const char *pos, *end, *tok;
	size_t n;
	int err, f;

	err = ti_parse_begin(data, len, req, optbuf, opt, &pos, &end);
	if (err == TI_PARSE_UNKNOWN_CMD || req->cmd == TI_CMD_UPDATE)
		return TI_PARSE_ENC_CMD;
	if (err)
		return err;

	/* as the stock parser: a word that is no format is the master */
	tok = ti_next_token(&pos, end, &n);
	for (f = 0; tok && f < TI_FMT_NR; f++) {
		if (n == strlen(ti_enc_format_name[f]) &&
		    !memcmp(tok, ti_enc_format_name[f], n)) {
			req->format = f;
			tok = ti_next_token(&pos, end, &n);
			break;
		}
	}
	if (!tok)
		return TI_PARSE_MASTER;
	err = ti_parse_master(tok, n, req, optbuf);
	if (err)
		return err;
	optbuf += n + 1;
	optbuf[0] = '\0';
	req->opts = optbuf;

	if (req->cmd == TI_CMD_IMPORT)
		err = ti_parse_hex(&pos, end, req, ti_enc_req_len_check);
	else
		err = ti_parse_keyref_tok(&pos, end, req, optbuf);
	if (err)
		return err;

	/* our own options only: the stock encrypted type takes none */
	while ((tok = ti_next_token(&pos, end, &n))) {
		int own, id = -1;

		err = ti_parse_opt(tok, n, req, &own, &id);
		if (err)
			return err;
		if (!own) {
			/* a stock trusted option: loggable, being in our table */
			req->bad_name = tok;
			req->bad_name_len = ti_opt_info[id].name_len;
			return TI_PARSE_OPT_UNKNOWN;
		}
	}
	return TI_PARSE_OK;
}
