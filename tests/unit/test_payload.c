// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace unit tests for the payload parser (include/ti_request.h,
 * src/request.c). Plain C11, no framework; prints TAP.
 *
 *   cc -std=c11 -Iinclude tests/unit/test_payload.c src/request.c
 *
 * Every payload is copied into a heap buffer of exactly its length (not
 * NUL-terminated), every optbuf is a heap buffer of exactly len + 1
 * bytes and every option array one of exactly TI_MAX_OPTS(len) entries,
 * so that AddressSanitizer catches any read past the payload or write
 * past the documented sizes.
 *
 * Most cases are table-driven. A case's payload is a template in which
 *   {hN}  is the N-byte test key in lower-case hex,
 *   {HN}  the same key in upper-case hex,
 *   {mN}  the same key in alternating-case hex,
 *   {dN}  the first N digits of the lower-case hex of a long test key,
 *   {0}   a NUL byte,
 *   {{    a literal '{'.
 * The expected key of a valid case is the test key of its key_len.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ti_request.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------- TAP */

static int tap_planned, tap_run, tap_failed;

static void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

static int tap(int ok, const char *fmt, ...)
{
	va_list ap;

	tap_run++;
	if (!ok)
		tap_failed++;
	printf("%s %d - ", ok ? "ok" : "not ok", tap_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	return ok;
}

/* A payload, quoted with C escapes and shortened, for diagnostics. */
static const char *quote(const char *s, size_t n)
{
	static char buf[200];
	size_t i, o = 0;

	buf[o++] = '"';
	for (i = 0; i < n && o < sizeof(buf) - 12; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n')
			o += snprintf(buf + o, sizeof(buf) - o, "\\n");
		else if (c == '\t')
			o += snprintf(buf + o, sizeof(buf) - o, "\\t");
		else if (c == '"' || c == '\\')
			o += snprintf(buf + o, sizeof(buf) - o, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			o += snprintf(buf + o, sizeof(buf) - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	if (i < n)
		o += snprintf(buf + o, sizeof(buf) - o, "...");
	snprintf(buf + o, sizeof(buf) - o, "\" (%zu bytes)", n);
	return buf;
}

static const char *err_name(int err)
{
	static const char *const names[] = {
		"TI_PARSE_OK", "TI_PARSE_EMPTY", "TI_PARSE_TOO_LONG",
		"TI_PARSE_NUL", "TI_PARSE_BAD_CHAR", "TI_PARSE_UNKNOWN_CMD",
		"TI_PARSE_NO_HEX", "TI_PARSE_HEX_CHAR", "TI_PARSE_HEX_ODD",
		"TI_PARSE_KEY_SHORT", "TI_PARSE_KEY_LONG", "TI_PARSE_OPT_FORM",
		"TI_PARSE_OPT_UNKNOWN", "TI_PARSE_OPT_VALUE", "TI_PARSE_KEYREF",
		"TI_PARSE_OPT_REPEAT", "TI_PARSE_MASTER",
		"TI_PARSE_DATA_SHORT", "TI_PARSE_DATA_LONG",
		"TI_PARSE_FORMAT_LEN", "TI_PARSE_ENC_CMD",
	};

	if (err >= 0 && (size_t)err < ARRAY_SIZE(names))
		return names[err];
	return "(out of range)";
}

/* ---------------------------------------------------------- test keys */

/* Byte i of every test key: all distinct over 128 bytes, a-f and 0-9. */
static unsigned char key_byte(size_t i)
{
	return (unsigned char)(i * 73 + 0x5a);
}

static void put_hex(char *out, const unsigned char *key, size_t n, int mode)
{
	static const char lo[] = "0123456789abcdef", up[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < 2 * n; i++) {
		unsigned int nib = i % 2 ? key[i / 2] & 0xf : key[i / 2] >> 4;
		const char *digits = mode == 'H' || (mode == 'm' && i % 2) ?
				     up : lo;

		out[i] = digits[nib];
	}
}

/* ---------------------------------------------------------- templates */

struct buf {
	char *p;
	size_t len, cap;
};

static void buf_add(struct buf *b, const void *src, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		if (!b->p) {
			perror("realloc");
			exit(2);
		}
	}
	memcpy(b->p + b->len, src, n);
	b->len += n;
}

/* Expand a template (see the top of the file); the caller frees b->p. */
static struct buf expand(const char *t)
{
	struct buf b = { 0 };

	while (*t) {
		if (t[0] == '{' && t[1] == '{') {
			buf_add(&b, "{", 1);
			t += 2;
		} else if (t[0] == '{' && t[1] == '0' && t[2] == '}') {
			buf_add(&b, "", 1);
			t += 3;
		} else if (t[0] == '{') {
			char mode = t[1], *end;
			unsigned long n = strtoul(t + 2, &end, 10);
			size_t bytes = mode == 'd' ? (n + 1) / 2 : n;
			unsigned char *key = malloc(bytes + 1);
			char *hex = malloc(2 * bytes + 1);
			size_t i;

			if (!mode || !strchr("hHmd", mode) || *end != '}' || !key || !hex) {
				fprintf(stderr, "bad template near %s\n", t);
				exit(2);
			}
			for (i = 0; i < bytes; i++)
				key[i] = key_byte(i);
			put_hex(hex, key, bytes, mode == 'd' ? 'h' : mode);
			buf_add(&b, hex, mode == 'd' ? n : 2 * n);
			free(key);
			free(hex);
			t = end + 1;
		} else {
			buf_add(&b, t, 1);
			t++;
		}
	}
	return b;
}

/* ------------------------------------------------------------- parsing */

struct result {
	int err;
	struct ti_request req;		/* opts and bad_name are dangling */
	int opts_is_optbuf;		/* req.opts pointed at our optbuf */
	char *opts;			/* copy of req.opts, or NULL */
	char *master;			/* copy of req.master, or NULL */
	char *ref_desc;			/* copy of req.ref_desc, or NULL */
	char *bad_name;			/* copy of req.bad_name, or NULL */
	int bad_name_in_data;		/* req.bad_name lay inside the payload */
	int opt_ok;			/* req.opt described req.opts */
};

static void result_free(struct result *r)
{
	free(r->master);
	free(r->ref_desc);
	free(r->opts);
	free(r->bad_name);
}

/*
 * Whether req->opt lists exactly the tokens of req->opts, in order, each
 * with the id of its name.
 */
static int opts_parsed_ok(const struct ti_request *req)
{
	const char *s = req->opts;
	size_t pos = 0, olen = strlen(s);
	unsigned int i = 0;

	while (pos < olen) {
		size_t n = strcspn(s + pos, " ");
		const char *eq = memchr(s + pos, '=', n);

		if (i >= req->nr_opts || !eq ||
		    req->opt[i].off != pos || req->opt[i].len != n ||
		    req->opt[i].id != ti_opt_lookup(s + pos, eq - (s + pos)))
			return 0;
		i++;
		pos += n + 1;
	}
	return i == req->nr_opts;
}

/*
 * Parse @len bytes at @data from an exact-size heap copy, with an optbuf of
 * exactly len + 1 bytes and an option array of exactly TI_MAX_OPTS(len),
 * the documented minimums.
 */
/* strdup(), which C11 lacks */
static char *dup(const char *src)
{
	size_t n = strlen(src) + 1;
	char *d = malloc(n);

	if (!d) {
		perror("malloc");
		exit(2);
	}
	return memcpy(d, src, n);
}

typedef int parse_fn(const char *data, size_t len, struct ti_request *req,
		     char *optbuf, struct ti_opt *opt);

static struct result parse_with(parse_fn *fn, const char *data, size_t len)
{
	struct result r = { 0 };
	char *copy = malloc(len ? len : 1);
	char *optbuf = malloc(len + 1);
	struct ti_opt *opt = malloc(TI_MAX_OPTS(len) * sizeof(*opt));
	const char *bn;

	if (!copy || !optbuf || !opt) {
		perror("malloc");
		exit(2);
	}
	if (len)
		memcpy(copy, data, len);
	/* garbage in req and optbuf: the parser must initialise both */
	memset(&r.req, 0xa5, sizeof(r.req));
	memset(optbuf, 'Z', len + 1);
	memset(opt, 0xa5, TI_MAX_OPTS(len) * sizeof(*opt));

	r.err = fn(copy, len, &r.req, optbuf, opt);
	/* the strings the parser put in optbuf, wherever it did */
	if (r.req.master >= optbuf && r.req.master <= optbuf + len)
		r.master = dup(r.req.master);
	if (r.req.ref_desc >= optbuf && r.req.ref_desc <= optbuf + len)
		r.ref_desc = dup(r.req.ref_desc);
	r.opt_ok = r.err == TI_PARSE_OK && r.req.opt == opt &&
		   r.req.opts == optbuf + (r.req.ref_desc ?
					   strlen(r.req.ref_desc) + 1 : 0) &&
		   opts_parsed_ok(&r.req);
	r.opts_is_optbuf = r.req.opts >= optbuf && r.req.opts <= optbuf + len;

	if (r.opts_is_optbuf) {
		size_t room = len + 1 - (size_t)(r.req.opts - optbuf);
		const char *nul = memchr(r.req.opts, '\0', room);

		if (nul)		/* else unterminated: leave NULL */
			r.opts = dup(r.req.opts);
	}
	bn = r.req.bad_name;
	if (bn) {
		r.bad_name_in_data = bn >= copy && bn < copy + len &&
				     r.req.bad_name_len <= len - (size_t)(bn - copy);
		if (r.bad_name_in_data) {
			r.bad_name = malloc(r.req.bad_name_len + 1);
			memcpy(r.bad_name, bn, r.req.bad_name_len);
			r.bad_name[r.req.bad_name_len] = '\0';
		}
	}
	free(copy);
	free(optbuf);
	free(opt);
	return r;
}

/* A trusted-import request, parsed the same way. */
static struct result parse(const char *data, size_t len)
{
	return parse_with(ti_parse, data, len);
}

/*
 * Check a successful parse; prints diagnostics and returns 0 on mismatch.
 * @key may be NULL when @key_len is 0.
 */
static int check_ok(const struct result *r, enum ti_cmd cmd,
		    const unsigned char *key, unsigned int key_len,
		    const char *opts)
{
	int ok = 1;

	if (r->err != TI_PARSE_OK) {
		diag("got %s (%s), want TI_PARSE_OK", err_name(r->err),
		     ti_parse_strerror(r->err));
		return 0;
	}
	if (r->req.cmd != cmd) {
		diag("cmd %d, want %d", (int)r->req.cmd, (int)cmd);
		ok = 0;
	}
	if (r->req.key_len != key_len) {
		diag("key_len %u, want %u", r->req.key_len, key_len);
		ok = 0;
	} else if (key_len && memcmp(r->req.key, key, key_len)) {
		diag("key bytes differ from the expected key");
		ok = 0;
	}
	if (!r->opts_is_optbuf) {
		diag("req.opts does not point at the caller's optbuf");
		ok = 0;
	} else if (!r->opts) {
		diag("optbuf not NUL-terminated within len + 1 bytes");
		ok = 0;
	} else if (strcmp(r->opts, opts)) {
		diag("opts \"%s\", want \"%s\"", r->opts, opts);
		ok = 0;
	}
	if (r->req.bad_name) {
		diag("bad_name set on success");
		ok = 0;
	}
	if (!r->opt_ok) {
		diag("req.opt does not list the tokens of opts (%u of them)",
		     r->req.nr_opts);
		ok = 0;
	}
	return ok;
}

static int check_verify(const struct result *r, int want)
{
	if (r->err == TI_PARSE_OK && r->req.verify != want) {
		diag("verify %d, want %d", r->req.verify, want);
		return 0;
	}
	return 1;
}

/*
 * Check a failed parse: the exact error, and bad_name: @bad_name for
 * TI_PARSE_OPT_UNKNOWN (NULL: must be NULL), NULL for every other error.
 */
static int check_err(const struct result *r, int err, const char *bad_name)
{
	int ok = 1;

	if (r->err != err) {
		diag("got %s (%s), want %s", err_name(r->err),
		     ti_parse_strerror(r->err), err_name(err));
		return 0;
	}
	if (!r->opts_is_optbuf) {
		diag("req.opts does not point at the caller's optbuf");
		ok = 0;
	}
	if (!bad_name && r->req.bad_name) {
		diag("bad_name \"%s\" (len %u), want NULL",
		     r->bad_name ? r->bad_name : "(outside the payload!)",
		     r->req.bad_name_len);
		ok = 0;
	} else if (bad_name && !r->req.bad_name) {
		diag("bad_name NULL, want \"%s\"", bad_name);
		ok = 0;
	} else if (bad_name && !r->bad_name_in_data) {
		diag("bad_name does not point into the payload");
		ok = 0;
	} else if (bad_name && strcmp(r->bad_name, bad_name)) {
		diag("bad_name \"%s\" (len %u), want \"%s\"", r->bad_name,
		     r->req.bad_name_len, bad_name);
		ok = 0;
	}
	return ok;
}

/* --------------------------------------------------------- valid cases */

struct ok_case {
	const char *desc;
	const char *tmpl;
	enum ti_cmd cmd;
	unsigned int key_len;
	const char *opts;
};

#define IMP TI_CMD_IMPORT
#define UPD TI_CMD_UPDATE

static const struct ok_case ok_cases[] = {
	{ "32-byte key (minimum), lower-case hex",
	  "import {h32}", IMP, 32, "" },
	{ "64-byte key", "import {h64}", IMP, 64, "" },
	{ "100-byte key", "import {h100}", IMP, 100, "" },
	{ "128-byte key (maximum)", "import {h128}", IMP, 128, "" },
	{ "upper-case hex", "import {H64}", IMP, 64, "" },
	{ "upper-case hex, 128 bytes", "import {H128}", IMP, 128, "" },
	{ "mixed-case hex", "import {m32}", IMP, 32, "" },
	{ "tab and two spaces between options, collapsed to one space",
	  "import {h32}\tkeyhandle=0x81000001  hash=sha256", IMP, 32,
	  "keyhandle=0x81000001 hash=sha256" },
	{ "runs of tabs and spaces between every token",
	  "import \t\t {h32} \t  keyhandle=0x81000001\t\t\thash=sha256",
	  IMP, 32, "keyhandle=0x81000001 hash=sha256" },
	{ "tab between command and key", "import\t{h64}", IMP, 64, "" },
	{ "leading and trailing blanks",
	  " \t import {h32} hash=sha256 \t ", IMP, 32, "hash=sha256" },
	{ "exactly one trailing newline accepted, not copied to opts",
	  "import {h32} hash=sha256\n", IMP, 32, "hash=sha256" },
	{ "trailing newline right after the key",
	  "import {h64}\n", IMP, 64, "" },
	{ "trailing blanks then a newline",
	  "import {h32} \t\n", IMP, 32, "" },
	{ "options passed through in the given order",
	  "import {h32} pcrinfo=0300000001 keyhandle=0x81000001 blobauth=abc keyauth=def",
	  IMP, 32,
	  "pcrinfo=0300000001 keyhandle=0x81000001 blobauth=abc keyauth=def" },
	{ "repeated option passed through twice, in order",
	  "update hash=sha1 hash=sha256", UPD, 0, "hash=sha1 hash=sha256" },
	{ "option value of printable punctuation passed through unchanged",
	  "update keyauth=!\"#$%&'()*+,-./:;<>?@[\\]^_`{{|}~",
	  UPD, 0, "keyauth=!\"#$%&'()*+,-./:;<>?@[\\]^_`{|}~" },
	{ "option value holding '=' passed through unchanged",
	  "update keyauth=a=b", UPD, 0, "keyauth=a=b" },
	{ "update without options", "update", UPD, 0, "" },
	{ "update without options, trailing newline",
	  "update\n", UPD, 0, "" },
	{ "update without options, surrounding blanks",
	  " \t update\t ", UPD, 0, "" },
	{ "update with one option", "update pcrlock=7", UPD, 0, "pcrlock=7" },
	{ "update with several options, tabs and a newline",
	  "update\tkeyhandle=0x81000001 \t policyhandle=0x03000000\tmigratable=0\n",
	  UPD, 0, "keyhandle=0x81000001 policyhandle=0x03000000 migratable=0" },
	/* every stock option name */
	{ "stock option keyhandle", "import {h32} keyhandle=0x81000001",
	  IMP, 32, "keyhandle=0x81000001" },
	{ "stock option keyauth",
	  "import {h32} keyauth=00112233445566778899aabbccddeeff00112233",
	  IMP, 32, "keyauth=00112233445566778899aabbccddeeff00112233" },
	{ "stock option blobauth",
	  "import {h32} blobauth=ffeeddccbbaa99887766554433221100ffeeddcc",
	  IMP, 32, "blobauth=ffeeddccbbaa99887766554433221100ffeeddcc" },
	{ "stock option pcrinfo", "import {h32} pcrinfo=0300000001",
	  IMP, 32, "pcrinfo=0300000001" },
	{ "stock option pcrlock", "import {h32} pcrlock=10",
	  IMP, 32, "pcrlock=10" },
	{ "stock option migratable", "import {h32} migratable=1",
	  IMP, 32, "migratable=1" },
	{ "stock option hash", "import {h32} hash=sha256",
	  IMP, 32, "hash=sha256" },
	{ "stock option policydigest",
	  "import {h32} policydigest=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	  IMP, 32,
	  "policydigest=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" },
	{ "stock option policyhandle", "import {h32} policyhandle=0x03000001",
	  IMP, 32, "policyhandle=0x03000001" },
	{ "stock option wrap_flags", "import {h32} wrap_flags=1",
	  IMP, 32, "wrap_flags=1" },
	{ "all ten stock options at once, on update",
	  "update keyhandle=0x81000001 keyauth=aa blobauth=bb pcrinfo=cc pcrlock=1 migratable=0 hash=sha256 policydigest=dd policyhandle=0x03000001 wrap_flags=2",
	  UPD, 0,
	  "keyhandle=0x81000001 keyauth=aa blobauth=bb pcrinfo=cc pcrlock=1 migratable=0 hash=sha256 policydigest=dd policyhandle=0x03000001 wrap_flags=2" },
};

/* Our own options: parsed into req, never passed on in opts. */
struct own_case {
	struct ok_case c;
	int verify;		/* expected req.verify */
};

static const struct own_case own_cases[] = {
	{ { "ti.verify=0 is ours: dropped from opts",
	    "import {h32} keyhandle=0x81000001 ti.verify=0 hash=sha256",
	    IMP, 32, "keyhandle=0x81000001 hash=sha256" }, 0 },
	{ { "ti.verify=1 keeps the default", "import {h32} ti.verify=1",
	    IMP, 32, "" }, 1 },
	{ { "ti.verify=0 on update",
	    "update ti.verify=0 keyhandle=0x81000001",
	    UPD, 0, "keyhandle=0x81000001" }, 0 },
};

static void run_case(const struct ok_case *c, int verify)
{
	struct buf b = expand(c->tmpl);
	unsigned char key[TI_MAX_KEY_LEN];
	struct result r;
	unsigned int i;

	for (i = 0; i < c->key_len && i < sizeof(key); i++)
		key[i] = key_byte(i);
	r = parse(b.p, b.len);
	if (!tap(check_ok(&r, c->cmd, key, c->key_len, c->opts) &&
		 check_verify(&r, verify), "%s", c->desc))
		diag("payload %s", quote(b.p, b.len));
	result_free(&r);
	free(b.p);
}

/* --------------------------------------------------------- error cases */

struct err_case {
	const char *desc;
	const char *tmpl;
	int err;
	const char *bad_name;	/* for TI_PARSE_OPT_UNKNOWN; NULL: none */
};

#define E(x) TI_PARSE_##x

static const struct err_case err_cases[] = {
	{ "empty payload (len 0)", "", E(EMPTY), NULL },
	{ "only spaces", "   ", E(EMPTY), NULL },
	{ "only tabs and spaces", " \t \t", E(EMPTY), NULL },
	{ "only a newline", "\n", E(EMPTY), NULL },
	{ "blanks then a newline", " \t\n", E(EMPTY), NULL },
	{ "two newlines: the second is a bad char", "\n\n", E(BAD_CHAR), NULL },
	{ "import with two trailing newlines", "import {h32}\n\n",
	  E(BAD_CHAR), NULL },
	{ "update with two trailing newlines", "update\n\n", E(BAD_CHAR), NULL },
	{ "leading newline", "\nupdate", E(BAD_CHAR), NULL },
	{ "newline between tokens", "import {h32}\nhash=sha256",
	  E(BAD_CHAR), NULL },
	{ "CR LF line ending", "import {h32}\r\n", E(BAD_CHAR), NULL },
	{ "carriage return", "update\r", E(BAD_CHAR), NULL },
	{ "control char \\x01 in options", "update \x01", E(BAD_CHAR), NULL },
	{ "control char \\x01 first", "\x01update", E(BAD_CHAR), NULL },
	{ "escape char in option value", "update hash=sha256\x1b",
	  E(BAD_CHAR), NULL },
	{ "vertical tab is not a blank", "update\vhash=sha256",
	  E(BAD_CHAR), NULL },
	{ "form feed is not a blank", "update\fhash=sha256",
	  E(BAD_CHAR), NULL },
	{ "non-ASCII byte 0xc3 in option value", "update keyauth=caf\xc3\xa9",
	  E(BAD_CHAR), NULL },
	{ "non-ASCII byte 0xc3 in the key", "import {d32}\xc3\xa9{d30}",
	  E(BAD_CHAR), NULL },
	{ "DEL (0x7f)", "update keyauth=\x7f", E(BAD_CHAR), NULL },
	{ "byte 0x80", "update keyauth=\x80", E(BAD_CHAR), NULL },
	{ "byte 0xff", "update keyauth=\xff", E(BAD_CHAR), NULL },
	{ "NUL byte after the key", "import {h32}{0}", E(NUL), NULL },
	{ "NUL byte inside the key", "import {h16}{0}{h16}", E(NUL), NULL },
	{ "NUL byte after the command", "update{0} hash=sha256", E(NUL), NULL },
	{ "NUL byte alone", "{0}", E(NUL), NULL },
	{ "NUL byte then newline", "{0}\n", E(NUL), NULL },
	{ "NUL byte at the end of options", "update hash=sha256{0}",
	  E(NUL), NULL },
	{ "unknown command \"new 32\"", "new 32", E(UNKNOWN_CMD), NULL },
	{ "import-key without a source", "import-key", E(KEYREF), NULL },
	{ "ti.verify given twice, conflicting",
	  "import {h32} ti.verify=1 ti.verify=0", E(OPT_REPEAT), NULL },
	{ "ti.verify given twice, the same", "import {h32} ti.verify=0 ti.verify=0",
	  E(OPT_REPEAT), NULL },
	{ "a non-hex digit last in a valid-length key", "import {h31}0g",
	  E(HEX_CHAR), NULL },
	{ "import-key of a trusted key", "import-key trusted:x", E(KEYREF),
	  NULL },
	{ "import-key with an empty description", "import-key user:",
	  E(KEYREF), NULL },
	{ "import-key without a type", "import-key legacy", E(KEYREF), NULL },
	{ "import-key type is case-sensitive", "import-key LOGON:x",
	  E(KEYREF), NULL },
	{ "import-key with an option first", "import-key keyhandle=1",
	  E(KEYREF), NULL },
	{ "upper-case IMPORT", "IMPORT {h32}", E(UNKNOWN_CMD), NULL },
	{ "capitalised Import", "Import {h32}", E(UNKNOWN_CMD), NULL },
	{ "upper-case UPDATE", "UPDATE", E(UNKNOWN_CMD), NULL },
	{ "stock command load", "load {h32}", E(UNKNOWN_CMD), NULL },
	{ "stock command new", "new 32 keyhandle=0x81000001",
	  E(UNKNOWN_CMD), NULL },
	{ "command with an extra letter", "importt {h32}", E(UNKNOWN_CMD), NULL },
	{ "truncated command", "impor {h32}", E(UNKNOWN_CMD), NULL },
	{ "command glued to the key", "import{h32}", E(UNKNOWN_CMD), NULL },
	{ "command glued to an option", "updatehash=sha256",
	  E(UNKNOWN_CMD), NULL },
	{ "option without a command", "hash=sha256", E(UNKNOWN_CMD), NULL },
	{ "key without a command", "{h32}", E(UNKNOWN_CMD), NULL },
	{ "import without hex", "import", E(NO_HEX), NULL },
	{ "import without hex, trailing newline", "import\n", E(NO_HEX), NULL },
	{ "import without hex, trailing blanks", "import \t ", E(NO_HEX), NULL },
	{ "import keyhandle=1 (option where the key should be)",
	  "import keyhandle=1", E(NO_HEX), NULL },
	{ "import with an option before the key",
	  "import keyhandle=0x81000001 {h32}", E(NO_HEX), NULL },
	{ "import =x", "import =x", E(NO_HEX), NULL },
	{ "non-hex char 'g' at the end of the key", "import {d63}g",
	  E(HEX_CHAR), NULL },
	{ "non-hex char 'g' at the start of the key", "import g{d63}",
	  E(HEX_CHAR), NULL },
	{ "0x prefix on the key", "import 0x{d64}", E(HEX_CHAR), NULL },
	{ "dash inside the key", "import {d31}-{d32}", E(HEX_CHAR), NULL },
	{ "comma after the key", "import {d65},", E(HEX_CHAR), NULL },
	{ "odd digit count, 63 digits", "import {d63}", E(HEX_ODD), NULL },
	{ "odd digit count, 65 digits", "import {d65}", E(HEX_ODD), NULL },
	{ "odd digit count, 1 digit", "import {d1}", E(HEX_ODD), NULL },
	{ "odd digit count, 257 digits", "import {d257}", E(HEX_ODD), NULL },
	{ "31-byte key (62 digits)", "import {h31}", E(KEY_SHORT), NULL },
	{ "31-byte key, upper-case, with options",
	  "import {H31} hash=sha256", E(KEY_SHORT), NULL },
	{ "1-byte key", "import {h1}", E(KEY_SHORT), NULL },
	{ "129-byte key (258 digits)", "import {h129}", E(KEY_LONG), NULL },
	{ "129-byte key, upper-case, with newline", "import {H129}\n",
	  E(KEY_LONG), NULL },
	{ "1000-byte key", "import {h1000}", E(KEY_LONG), NULL },
	{ "option without '=' after the key", "import {h32} hash",
	  E(OPT_FORM), NULL },
	{ "option without '=' on update", "update migratable",
	  E(OPT_FORM), NULL },
	{ "option without '=' after a good one",
	  "import {h32} hash=sha256 keyhandle", E(OPT_FORM), NULL },
	{ "option with an empty value (hash=)", "update hash=",
	  E(OPT_FORM), NULL },
	{ "option with an empty value after a good one",
	  "import {h32} hash=sha256 keyauth=", E(OPT_FORM), NULL },
	{ "option with an empty name (=x)", "update =x", E(OPT_FORM), NULL },
	{ "option that is only '='", "update =", E(OPT_FORM), NULL },
	{ "key given to update", "update {h32}", E(OPT_FORM), NULL },
	{ "second key after import", "import {h32} {h32}", E(OPT_FORM), NULL },
	/* unknown options: bad_name only when it cannot be key material */
	{ "unknown option foo=1", "update foo=1", E(OPT_UNKNOWN), "foo" },
	{ "unknown option foo=1 after a key", "import {h32} foo=1",
	  E(OPT_UNKNOWN), "foo" },
	{ "unknown option after a good one", "update hash=sha256 foo=1\n",
	  E(OPT_UNKNOWN), "foo" },
	{ "ti.verify takes 0 or 1 only: 2", "update ti.verify=2",
	  E(OPT_VALUE), NULL },
	{ "ti.verify takes 0 or 1 only: 00", "import {h32} ti.verify=00",
	  E(OPT_VALUE), NULL },
	{ "ti.verify takes 0 or 1 only: yes", "import {h32} ti.verify=yes",
	  E(OPT_VALUE), NULL },
	{ "unknown option in our namespace: ti.bogus=1",
	  "import {h32} ti.bogus=1", E(OPT_UNKNOWN), "ti.bogus" },
	{ "our names are case-sensitive: ti.VERIFY=0",
	  "import {h32} ti.VERIFY=0", E(OPT_UNKNOWN), NULL },
	{ "reserved prefix hides a stock name: ti.hash=sha256",
	  "update ti.hash=sha256", E(OPT_UNKNOWN), "ti.hash" },
	{ "reserved prefix hides a stock name: ti.keyhandle",
	  "update ti.keyhandle=0x81000001", E(OPT_UNKNOWN), "ti.keyhandle" },
	{ "reserved prefix alone: ti.=1", "update ti.=1",
	  E(OPT_UNKNOWN), "ti." },
	{ "stock name with a suffix: hashx=", "update hashx=sha256",
	  E(OPT_UNKNOWN), "hashx" },
	{ "truncated stock name: has=", "update has=sha256",
	  E(OPT_UNKNOWN), "has" },
	{ "misspelt stock name with '_': key_handle=", "update key_handle=1",
	  E(OPT_UNKNOWN), "key_handle" },
	{ "24-char name is still logged",
	  "update abcdefghijklmnopqrstuvwx=1", E(OPT_UNKNOWN),
	  "abcdefghijklmnopqrstuvwx" },
	{ "bad_name NULL: all hex letters (deadbeef=1)", "update deadbeef=1",
	  E(OPT_UNKNOWN), NULL },
	{ "bad_name NULL: all hex letters (abc=1)", "update abc=1",
	  E(OPT_UNKNOWN), NULL },
	{ "bad_name NULL: hex key material as the name", "update {d64}=1",
	  E(OPT_UNKNOWN), NULL },
	{ "bad_name NULL: name with a digit (keyauth1=)", "update keyauth1=x",
	  E(OPT_UNKNOWN), NULL },
	{ "bad_name NULL: name with a digit (k3y=)", "update k3y=x",
	  E(OPT_UNKNOWN), NULL },
	{ "bad_name NULL: reserved name with a digit (ti.verify2=)",
	  "update ti.verify2=0", E(OPT_UNKNOWN), NULL },
	{ "bad_name NULL: 25-char name", "update abcdefghijklmnopqrstuvwxy=1",
	  E(OPT_UNKNOWN), NULL },
	{ "bad_name NULL: long name", "update thisnameiswaytoolongtobelogged=1",
	  E(OPT_UNKNOWN), NULL },
	{ "bad_name NULL: upper case (Hash=, case-sensitive names)",
	  "update Hash=sha256", E(OPT_UNKNOWN), NULL },
	{ "bad_name NULL: name with '-'", "update key-handle=1",
	  E(OPT_UNKNOWN), NULL },
};

static void run_err_case(const struct err_case *c)
{
	struct buf b = expand(c->tmpl);
	struct result r = parse(b.p, b.len);

	if (!tap(check_err(&r, c->err, c->bad_name), "%s -> %s", c->desc,
		 err_name(c->err)))
		diag("payload %s", quote(b.p, b.len));
	result_free(&r);
	free(b.p);
}

/* ------------------------------------------------------ special tests */

static void t_strerror_all(void)
{
	int e, ok = 1;

	for (e = 0; e < TI_PARSE_ERR_MAX; e++) {
		const char *s = ti_parse_strerror(e);

		if (!s || !*s) {
			diag("ti_parse_strerror(%d) is %s", e, s ? "\"\"" : "NULL");
			ok = 0;
		}
	}
	tap(ok, "ti_parse_strerror: non-empty for every 0..TI_PARSE_ERR_MAX-1");
}

static void t_strerror_distinct(void)
{
	int a, b, ok = 1;

	for (a = 0; a < TI_PARSE_ERR_MAX; a++)
		for (b = a + 1; b < TI_PARSE_ERR_MAX; b++) {
			const char *sa = ti_parse_strerror(a);
			const char *sb = ti_parse_strerror(b);

			if (sa && sb && !strcmp(sa, sb)) {
				diag("%d and %d share \"%s\"", a, b, sa);
				ok = 0;
			}
		}
	tap(ok, "ti_parse_strerror: a different phrase for every error");
}

static void t_strerror_range(void)
{
	static const int bad[] = {
		-1, -2, TI_PARSE_ERR_MAX, TI_PARSE_ERR_MAX + 1, 1000,
		INT_MAX, INT_MIN,
	};
	size_t i;
	int ok = 1;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *s = ti_parse_strerror(bad[i]);

		if (!s || strcmp(s, "unknown error")) {
			diag("ti_parse_strerror(%d) = \"%s\"", bad[i],
			     s ? s : "(null)");
			ok = 0;
		}
	}
	tap(ok, "ti_parse_strerror: \"unknown error\" out of range (-1, MAX, INT_MIN, INT_MAX...)");
}

/* A 128-byte key of the bytes @first..@first+127, in @mode case. */
static void key_range(unsigned char first, int mode, const char *desc)
{
	unsigned char key[TI_MAX_KEY_LEN];
	char payload[7 + 2 * TI_MAX_KEY_LEN];
	struct result r;
	size_t i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)(first + i);
	memcpy(payload, "import ", 7);
	put_hex(payload + 7, key, sizeof(key), mode);
	r = parse(payload, sizeof(payload));
	tap(check_ok(&r, TI_CMD_IMPORT, key, sizeof(key), ""), "%s", desc);
	result_free(&r);
}

static void t_key_bytes_low(void)
{
	key_range(0x00, 'h', "key of bytes 0x00..0x7f decodes exactly (lower-case)");
}

static void t_key_bytes_high(void)
{
	key_range(0x80, 'H', "key of bytes 0x80..0xff decodes exactly (upper-case)");
}

/*
 * The constant-time digit decoder against the obvious one: every byte
 * value as the last digit of a 32-byte key is taken exactly when it is a
 * hex digit, with its value, and refused as a non-hex character when it is
 * any other character the payload may hold.
 */
static void t_every_last_digit(void)
{
	char payload[7 + 64];
	int c, bad = 0, want;
	struct result r;

	memcpy(payload, "import ", 7);
	memset(payload + 7, '0', 63);
	for (c = 0x21; c < 0x7f; c++) {
		if (c == '=')
			continue;	/* makes it an option, not a key */
		payload[7 + 63] = (char)c;
		r = parse(payload, sizeof(payload));
		want = (c >= '0' && c <= '9') ? c - '0' :
		       (c >= 'a' && c <= 'f') ? c - 'a' + 10 :
		       (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
		if (want < 0 ? r.err != TI_PARSE_HEX_CHAR :
		    r.err != TI_PARSE_OK || r.req.key[31] != want) {
			diag("last digit '%c': err %d", c, r.err);
			bad = 1;
		}
		result_free(&r);
	}
	tap(!bad, "every printable character as a key's last digit decodes as the obvious decoder would");
}

/* "update keyauth=aaa...", exactly @len bytes, plus "\n" if @nl. */
static char *long_update(size_t len, int nl, size_t *total)
{
	char *p = malloc(len + 1);

	if (!p) {
		perror("malloc");
		exit(2);
	}
	memcpy(p, "update keyauth=", 15);
	memset(p + 15, 'a', len - 15);
	if (nl)
		p[len] = '\n';
	*total = len + !!nl;
	return p;
}

static void t_max_len_ok(void)
{
	size_t n;
	char *p = long_update(TI_MAX_REQUEST, 0, &n);
	struct result r = parse(p, n);

	p[n] = '\0';
	tap(check_ok(&r, TI_CMD_UPDATE, NULL, 0, p + 7),
	    "payload of exactly 32767 bytes accepted, long option intact");
	result_free(&r);
	free(p);
}

static void t_max_len_nl_ok(void)
{
	size_t n;
	char *p = long_update(TI_MAX_REQUEST - 1, 1, &n);
	struct result r = parse(p, n);

	p[n - 1] = '\0';
	tap(check_ok(&r, TI_CMD_UPDATE, NULL, 0, p + 7),
	    "32766 bytes plus a newline (32767) accepted");
	result_free(&r);
	free(p);
}

static void t_max_len_import_blanks(void)
{
	/* import, a 128-byte key, blanks up to the limit, then one option */
	size_t n = TI_MAX_REQUEST;
	struct buf head = expand("import {h128}"), tail = expand("\thash=sha256");
	char *p = malloc(n);
	unsigned char key[TI_MAX_KEY_LEN];
	struct result r;
	size_t i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = key_byte(i);
	memcpy(p, head.p, head.len);
	for (i = head.len; i < n - tail.len; i++)
		p[i] = i % 2 ? ' ' : '\t';
	memcpy(p + n - tail.len, tail.p, tail.len);
	r = parse(p, n);
	tap(check_ok(&r, TI_CMD_IMPORT, key, sizeof(key), "hash=sha256"),
	    "32767-byte import: 128-byte key, 32k of blanks, one option");
	result_free(&r);
	free(p);
	free(head.p);
	free(tail.p);
}

static void t_too_long(void)
{
	size_t n;
	char *p = long_update(TI_MAX_REQUEST + 1, 0, &n);
	struct result r = parse(p, n);

	tap(check_err(&r, TI_PARSE_TOO_LONG, NULL),
	    "payload of 32768 bytes (otherwise valid) -> TI_PARSE_TOO_LONG");
	result_free(&r);
	free(p);
}

static void t_too_long_nl(void)
{
	size_t n;
	char *p = long_update(TI_MAX_REQUEST, 1, &n);
	struct result r = parse(p, n);

	tap(check_err(&r, TI_PARSE_TOO_LONG, NULL),
	    "32767 bytes plus a newline (32768) -> TI_PARSE_TOO_LONG");
	result_free(&r);
	free(p);
}

static void t_too_long_huge(void)
{
	size_t n;
	char *p = long_update(1 << 20, 0, &n);
	struct result r = parse(p, n);

	tap(check_err(&r, TI_PARSE_TOO_LONG, NULL),
	    "payload of 1 MiB -> TI_PARSE_TOO_LONG");
	result_free(&r);
	free(p);
}

static void t_len_respected(void)
{
	/* the bytes after len are junk that would fail the parse */
	static const char data[] = "update hash=sha256 foo=1\x01\xff";
	struct result r = parse(data, strlen("update hash=sha256"));

	tap(check_ok(&r, TI_CMD_UPDATE, NULL, 0, "hash=sha256"),
	    "only len bytes are read: trailing junk beyond len ignored");
	result_free(&r);
}

static void t_len_cuts_newline(void)
{
	/* "update\n" then a second newline beyond len */
	static const char data[] = "update\n\n";
	struct result r = parse(data, 7);

	tap(check_ok(&r, TI_CMD_UPDATE, NULL, 0, ""),
	    "newline at len - 1 stripped, the byte at len never read");
	result_free(&r);
}

/*
 * The optbuf contract with guard bytes as well as ASan: the densest
 * payloads, where opts is len - 7 bytes, must not touch anything beyond
 * len + 1 bytes, and the result must be NUL-terminated.
 */
static void t_optbuf_guard(void)
{
	static const char *const payloads[] = {
		"update hash=x",
		"update a=b",	/* fails, but only after the check */
		"update\thash=sha256\tkeyhandle=1\tpcrlock=1",
		"update hash=x\n",
		"",
		"\n",
		"update",
	};
	enum { GUARD = 64 };
	size_t i, j;
	int ok = 1;

	for (i = 0; i < ARRAY_SIZE(payloads); i++) {
		const char *d = payloads[i];
		size_t len = strlen(d);
		char *copy = malloc(len ? len : 1);
		char *optbuf = malloc(len + 1 + GUARD);
		struct ti_opt *opt = malloc(TI_MAX_OPTS(len) * sizeof(*opt));
		struct ti_request req;

		if (len)
			memcpy(copy, d, len);
		memset(optbuf, 0x5a, len + 1 + GUARD);
		ti_parse(copy, len, &req, optbuf, opt);
		for (j = len + 1; j < len + 1 + GUARD; j++)
			if ((unsigned char)optbuf[j] != 0x5a) {
				diag("%s: optbuf[%zu] written (len %zu)",
				     quote(d, len), j, len);
				ok = 0;
				break;
			}
		if (!memchr(optbuf, '\0', len + 1)) {
			diag("%s: optbuf not NUL-terminated", quote(d, len));
			ok = 0;
		}
		free(copy);
		free(optbuf);
		free(opt);
	}
	tap(ok, "optbuf of len + 1 bytes is enough: nothing written past it");
}

static void t_optbuf_exact_dense(void)
{
	/* every separator a single space: opts is exactly len - 7 bytes */
	static const char d[] =
		"update keyhandle=1 keyauth=2 blobauth=3 pcrinfo=4 pcrlock=5 "
		"migratable=6 hash=7 policydigest=8 policyhandle=9 wrap_flags=0";
	struct result r = parse(d, sizeof(d) - 1);

	tap(check_ok(&r, TI_CMD_UPDATE, NULL, 0, d + 7),
	    "densest options in an exact len + 1 optbuf (ASan-checked)");
	result_free(&r);
}

static void t_empty_optbuf(void)
{
	char *optbuf = malloc(1);
	struct ti_opt *opt = malloc(TI_MAX_OPTS(0) * sizeof(*opt));
	struct ti_request req;
	int err;

	optbuf[0] = 'Z';
	err = ti_parse("", 0, &req, optbuf, opt);
	tap(err == TI_PARSE_EMPTY && optbuf[0] == '\0' && req.opts == optbuf &&
	    req.nr_opts == 0,
	    "len 0 with a 1-byte optbuf: TI_PARSE_EMPTY, opts is \"\"");
	free(optbuf);
	free(opt);
}

/* TI_MAX_OPTS() counts on every stock option name being this long. */
static void t_opt_names_min(void)
{
	int i, ok = 1;

	for (i = 0; i < TI_OPT_NR; i++) {
		if (ti_opt_info[i].name_len < TI_OPT_NAME_MIN ||
		    ti_opt_info[i].name_len != strlen(ti_opt_info[i].name) ||
		    ti_opt_lookup(ti_opt_info[i].name,
				  ti_opt_info[i].name_len) != i) {
			diag("option %d (%s)", i, ti_opt_info[i].name);
			ok = 0;
		}
	}
	tap(ok, "ti_opt_info: every name found by ti_opt_lookup(), none shorter than TI_OPT_NAME_MIN");
}

/*
 * The densest stock options, the shortest name with one-byte values, fill
 * an option array of exactly TI_MAX_OPTS(len) (ASan-checked).
 */
static void t_opts_densest(void)
{
	size_t len = 6, n = 0;
	char *p = malloc(TI_MAX_REQUEST);
	struct result r;

	memcpy(p, "update", 6);
	while (len + 7 <= TI_MAX_REQUEST) {
		memcpy(p + len, " hash=1", 7);
		len += 7;
		n++;
	}
	r = parse(p, len);
	tap(check_ok(&r, TI_CMD_UPDATE, NULL, 0, p + 7) && r.req.nr_opts == n,
	    "%zu hash= options in %zu bytes fit TI_MAX_OPTS(len) = %zu",
	    n, len, (size_t)TI_MAX_OPTS(len));
	result_free(&r);
	free(p);
}

static void t_req_reset(void)
{
	struct result r = parse("update hash=sha256", 18);
	int ok = check_ok(&r, TI_CMD_UPDATE, NULL, 0, "hash=sha256") &&
		 r.req.bad_name_len == 0;

	tap(ok, "req is reset: update leaves key_len 0 and no bad_name over garbage");
	result_free(&r);
}

static void t_reuse_req(void)
{
	/* a failure with bad_name, then a success, with the same req */
	static const char bad[] = "update foo=1", good[] = "update pcrlock=1";
	char optbuf[sizeof(good)];
	struct ti_opt opt[TI_MAX_OPTS(sizeof(good))];
	struct ti_request req;
	int e1, e2;

	e1 = ti_parse(bad, sizeof(bad) - 1, &req, optbuf, opt);
	e2 = ti_parse(good, sizeof(good) - 1, &req, optbuf, opt);
	tap(e1 == TI_PARSE_OPT_UNKNOWN && e2 == TI_PARSE_OK &&
	    !req.bad_name && req.bad_name_len == 0 &&
	    !strcmp(req.opts, "pcrlock=1") && req.nr_opts == 1 &&
	    req.opt[0].id == TI_OPT_PCRLOCK,
	    "reusing a req after an error leaves no stale bad_name");
}

/* import-key: the source's type and description, then the options. */
static void t_import_key_one(const char *payload, enum ti_ref_type type,
			     const char *desc, const char *opts, int verify)
{
	size_t len = strlen(payload);
	char *data = malloc(len), *optbuf = malloc(len + 1);
	struct ti_opt *opt = malloc(TI_MAX_OPTS(len) * sizeof(*opt));
	struct ti_request req;
	int err, ok;

	memcpy(data, payload, len);
	err = ti_parse(data, len, &req, optbuf, opt);
	ok = err == TI_PARSE_OK && req.cmd == TI_CMD_IMPORT_KEY &&
	     req.key_len == 0 && req.ref_type == type &&
	     req.ref_desc && !strcmp(req.ref_desc, desc) &&
	     req.opts && !strcmp(req.opts, opts) && req.verify == verify &&
	     req.ref_desc >= optbuf && req.ref_desc < optbuf + len + 1 &&
	     req.opts > req.ref_desc && req.opts < optbuf + len + 1;
	ok = ok && opts_parsed_ok(&req);
	if (!tap(ok, "import-key: %s", quote(payload, len)))
		diag("err %s", err_name(err));
	free(data);
	free(optbuf);
	free(opt);
}

static void t_import_key(void)
{
	t_import_key_one("import-key logon:legacy keyhandle=0x81000001 ti.verify=0",
			 TI_REF_LOGON, "legacy", "keyhandle=0x81000001", 0);
}

static void t_import_key_user(void)
{
	t_import_key_one("import-key\tuser:kmk\n", TI_REF_USER, "kmk", "", 1);
}

static void t_import_key_encrypted(void)
{
	t_import_key_one("import-key encrypted:a:b=c hash=sha256",
			 TI_REF_ENCRYPTED, "a:b=c", "hash=sha256", 1);
}

/* ---------------------------------------- encrypted-import requests */

struct enc_case {
	const char *tmpl;
	int err;
	enum ti_cmd cmd;		/* the rest: for TI_PARSE_OK only */
	enum ti_enc_format format;
	const char *master;
	unsigned int key_len;		/* import: the test key's length */
	const char *ref_desc;		/* import-key: the source's */
	int verify;
	const char *bad_name;		/* for TI_PARSE_OPT_UNKNOWN */
};

#define IKY TI_CMD_IMPORT_KEY
#define ENC_OK(t, cmd, f, m, n, ref, v) \
	{ t, TI_PARSE_OK, cmd, TI_FMT_##f, m, n, ref, v, NULL }
#define ENC_ERR(t, e) { t, E(e), 0, 0, NULL, 0, NULL, 1, NULL }

static const struct enc_case enc_cases[] = {
	ENC_OK("import trusted:kmk {h32}", IMP, DEFAULT, "trusted:kmk", 32,
	       NULL, 1),
	ENC_OK("import default user:k {h20}", IMP, DEFAULT, "user:k", 20,
	       NULL, 1),
	ENC_OK("import default trusted:kmk {H4096}\n", IMP, DEFAULT,
	       "trusted:kmk", 4096, NULL, 1),
	ENC_OK("import ecryptfs trusted:kmk {h64} ti.verify=0", IMP,
	       ECRYPTFS, "trusted:kmk", 64, NULL, 0),
	ENC_OK("import\tenc32 trusted:a:b {m32}", IMP, ENC32, "trusted:a:b",
	       32, NULL, 1),
	ENC_OK("import-key trusted:kmk logon:legacy:dm", IKY, DEFAULT,
	       "trusted:kmk", 0, "legacy:dm", 1),
	ENC_OK("import-key ecryptfs trusted:kmk user:0011223344556677 ti.verify=1",
	       IKY, ECRYPTFS, "trusted:kmk", 0, "0011223344556677", 1),
	ENC_ERR("update trusted:other", ENC_CMD),
	ENC_ERR("new trusted:kmk 32", ENC_CMD),
	ENC_ERR("load trusted:kmk 32", ENC_CMD),
	ENC_ERR("import", MASTER),
	ENC_ERR("import ecryptfs", MASTER),
	ENC_ERR("import {h32}", MASTER),
	ENC_ERR("import default {h32}", MASTER),
	ENC_ERR("import trusted: {h32}", MASTER),
	ENC_ERR("import logon:kmk {h32}", MASTER),
	ENC_ERR("import encrypted:kmk {h32}", MASTER),
	ENC_ERR("import Trusted:kmk {h32}", MASTER),
	ENC_ERR("import trusted:kmk", NO_HEX),
	ENC_ERR("import trusted:kmk ti.verify=0", NO_HEX),
	ENC_ERR("import trusted:kmk {h19}", DATA_SHORT),
	ENC_ERR("import trusted:kmk {h4097}", DATA_LONG),
	ENC_ERR("import trusted:kmk {d41}", HEX_ODD),
	ENC_ERR("import ecryptfs trusted:kmk {h32}", FORMAT_LEN),
	ENC_ERR("import ecryptfs trusted:kmk {h65}", FORMAT_LEN),
	ENC_ERR("import enc32 trusted:kmk {h64}", FORMAT_LEN),
	ENC_ERR("import trusted:kmk {d62}xy", HEX_CHAR),
	ENC_ERR("import-key trusted:kmk", KEYREF),
	ENC_ERR("import-key trusted:kmk trusted:other", KEYREF),
	ENC_ERR("import trusted:kmk {h32} ti.verify=2", OPT_VALUE),
	ENC_ERR("import trusted:kmk {h32} ti.verify=0 ti.verify=0",
		OPT_REPEAT),
	ENC_ERR("import trusted:kmk {h32} {h32}", OPT_FORM),
	{ "import trusted:kmk {h32} keyhandle=0x81000001", E(OPT_UNKNOWN), 0,
	  0, NULL, 0, NULL, 1, "keyhandle" },
	{ "import-key trusted:kmk user:k ti.nope=1", E(OPT_UNKNOWN), 0, 0,
	  NULL, 0, NULL, 1, "ti.nope" },
};

/* The checks of one enc_case's result; diagnostics, 0 on a mismatch. */
static int check_enc(const struct enc_case *c, const struct result *r)
{
	const struct ti_request *q = &r->req;
	unsigned char key[TI_ENC_MAX_LEN];
	unsigned int i;

	if (c->err != TI_PARSE_OK)
		return check_err(r, c->err, c->bad_name);
	for (i = 0; i < c->key_len; i++)
		key[i] = key_byte(i);
	if (r->err != TI_PARSE_OK || q->cmd != c->cmd ||
	    q->format != c->format || q->verify != c->verify ||
	    q->key_len != c->key_len || memcmp(q->key, key, c->key_len) ||
	    q->nr_opts || q->bad_name) {
		diag("got %s, cmd %d, format %d, verify %d, key_len %u, %u opts",
		     err_name(r->err), (int)q->cmd, (int)q->format, q->verify,
		     q->key_len, q->nr_opts);
		return 0;
	}
	if (!r->master || strcmp(r->master, c->master) ||
	    (!c->ref_desc) != (!r->ref_desc) ||
	    (c->ref_desc && strcmp(r->ref_desc, c->ref_desc)) ||
	    !r->opts || *r->opts) {
		diag("master \"%s\", ref_desc \"%s\", opts \"%s\"",
		     r->master ? r->master : "(none)",
		     r->ref_desc ? r->ref_desc : "(none)",
		     r->opts ? r->opts : "(none)");
		return 0;
	}
	return 1;
}

static void run_enc_case(const struct enc_case *c)
{
	struct buf b = expand(c->tmpl);
	struct result r = parse_with(ti_parse_enc, b.p, b.len);

	if (!tap(check_enc(c, &r), "encrypted-import: %s -> %s",
		 quote(c->tmpl, strlen(c->tmpl)), err_name(c->err)))
		diag("payload %s", quote(b.p, b.len));
	result_free(&r);
	free(b.p);
}

static void (*const specials[])(void) = {
	t_strerror_all,
	t_strerror_distinct,
	t_strerror_range,
	t_key_bytes_low,
	t_key_bytes_high,
	t_every_last_digit,
	t_max_len_ok,
	t_max_len_nl_ok,
	t_max_len_import_blanks,
	t_too_long,
	t_too_long_nl,
	t_too_long_huge,
	t_len_respected,
	t_len_cuts_newline,
	t_optbuf_guard,
	t_optbuf_exact_dense,
	t_empty_optbuf,
	t_opt_names_min,
	t_opts_densest,
	t_req_reset,
	t_reuse_req,
	t_import_key,
	t_import_key_user,
	t_import_key_encrypted,
};

int main(void)
{
	size_t i;

	/* every case and special test emits exactly one TAP line */
	tap_planned = (int)(ARRAY_SIZE(ok_cases) + ARRAY_SIZE(own_cases) +
			    ARRAY_SIZE(err_cases) + ARRAY_SIZE(enc_cases) +
			    ARRAY_SIZE(specials));
	printf("1..%d\n", tap_planned);
	fflush(stdout);

	/* every stock-only case must leave verification at its default, on */
	for (i = 0; i < ARRAY_SIZE(ok_cases); i++)
		run_case(&ok_cases[i], 1);
	for (i = 0; i < ARRAY_SIZE(own_cases); i++)
		run_case(&own_cases[i].c, own_cases[i].verify);
	for (i = 0; i < ARRAY_SIZE(err_cases); i++)
		run_err_case(&err_cases[i]);
	for (i = 0; i < ARRAY_SIZE(enc_cases); i++)
		run_enc_case(&enc_cases[i]);
	for (i = 0; i < ARRAY_SIZE(specials); i++)
		specials[i]();

	if (tap_run != tap_planned) {
		diag("harness bug: planned %d tests, ran %d", tap_planned,
		     tap_run);
		return 1;
	}
	if (tap_failed)
		diag("failed %d of %d tests", tap_failed, tap_run);
	return tap_failed ? 1 : 0;
}
