// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the payload parser (include/ti_request.h,
 * src/request.c), built with ASan and UBSan by tests/fuzz/run.sh.
 *
 * The input is copied into a heap buffer of exactly its size (not
 * NUL-terminated), optbuf is a heap buffer of exactly size + 1 bytes and
 * the option array one of exactly TI_MAX_OPTS(size) entries, the
 * documented minimums, so that ASan catches any read past the payload or
 * write past either. Every invariant of the result is then checked and a
 * violation ends in abort(), which libFuzzer reports as a crash.
 *
 * Each input is parsed twice, as a trusted-import request (ti_parse())
 * and as an encrypted-import one (ti_parse_enc()).
 *
 * A cheap differential check follows: the parser strips one trailing
 * newline, so the input with a '\n' appended must give the same result.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ti_request.h"

#define TI_LOGGABLE_NAME_MAX 24

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_payload: invariant violated: %s\n", what);
	abort();
}

#define CHECK(cond) do { if (!(cond)) fail(#cond); } while (0)

/* p lies in [buf, buf + size) */
static int inside(const void *p, const void *buf, size_t size)
{
	const char *c = p, *b = buf;

	return c >= b && c < b + size;
}

/* A NUL-terminated string starting at s, entirely inside [buf, buf + size). */
static size_t checked_strlen(const char *s, const char *buf, size_t size)
{
	const char *nul;

	CHECK(inside(s, buf, size));
	nul = memchr(s, '\0', (size_t)(buf + size - s));
	CHECK(nul != NULL);
	return (size_t)(nul - s);
}

static void check_opts(const char *opts, size_t olen)
{
	size_t i, start;

	if (olen == 0)
		return;
	CHECK(opts[0] != ' ');
	CHECK(opts[olen - 1] != ' ');
	for (i = 0; i < olen; i++) {
		unsigned char c = opts[i];

		CHECK(c != '\t');
		CHECK(c > 0x20 || c == ' ');
		CHECK(c < 0x7f);
		if (c == ' ')
			CHECK(opts[i + 1] != ' ');
	}
	/* each token: no "ti." prefix, and of the form name=value */
	for (start = 0; start < olen; start = i + 1) {
		const char *tok = opts + start, *eq;
		size_t n;

		for (i = start; i < olen && opts[i] != ' '; i++)
			;
		n = i - start;
		CHECK(n > 0);
		CHECK(!(n >= 3 && !memcmp(tok, "ti.", 3)));
		eq = memchr(tok, '=', n);
		CHECK(eq != NULL);
		CHECK(eq != tok);
		CHECK(eq != tok + n - 1);
	}
}

/* req->opt lists the tokens of req->opts, in order, each with its id. */
static void check_parsed(const struct ti_request *req, size_t olen,
			 const struct ti_opt *opt, size_t size)
{
	size_t pos = 0, n;
	unsigned int i = 0;
	const char *eq;

	CHECK(req->opt == opt);
	CHECK(req->nr_opts <= TI_MAX_OPTS(size));
	while (pos < olen) {
		n = strcspn(req->opts + pos, " ");
		eq = memchr(req->opts + pos, '=', n);
		CHECK(i < req->nr_opts);
		CHECK(eq != NULL);
		CHECK(opt[i].off == pos);
		CHECK(opt[i].len == n);
		CHECK(opt[i].id < TI_OPT_NR);
		CHECK((int)opt[i].id ==
		      ti_opt_lookup(req->opts + pos, eq - (req->opts + pos)));
		i++;
		pos += n + 1;
	}
	CHECK(i == req->nr_opts);
}

/* An encrypted-import request that parsed: ti_parse_enc()'s promises. */
static void check_enc_ok(const struct ti_request *req, size_t olen,
			 const char *optbuf, size_t size)
{
	size_t mlen;

	CHECK(olen == 0);
	CHECK(req->nr_opts == 0);
	CHECK(req->format >= TI_FMT_DEFAULT && req->format < TI_FMT_NR);
	CHECK(req->master != NULL);
	mlen = checked_strlen(req->master, optbuf, size + 1);
	CHECK((mlen > 8 && !memcmp(req->master, "trusted:", 8)) ||
	      (mlen > 5 && !memcmp(req->master, "user:", 5)));
	CHECK(req->opts > req->master + mlen);
	switch (req->cmd) {
	case TI_CMD_IMPORT:
		CHECK(ti_enc_len_check(req->format, req->key_len) ==
		      TI_PARSE_OK);
		CHECK(req->ref_desc == NULL);
		break;
	case TI_CMD_IMPORT_KEY:
		CHECK(req->key_len == 0);
		CHECK(req->ref_desc > req->master + mlen);
		CHECK(checked_strlen(req->ref_desc, optbuf, size + 1) > 0);
		break;
	default:
		fail("encrypted-import cmd is not import or import-key");
	}
}

static void check_result(int ret, const struct ti_request *req,
			 const char *data, size_t size, const char *optbuf,
			 const struct ti_opt *opt, int enc)
{
	const char *msg;
	size_t olen;

	CHECK(ret >= 0 && ret < TI_PARSE_ERR_MAX);
	msg = ti_parse_strerror(ret);
	CHECK(msg != NULL);
	CHECK(msg[0] != '\0');
	/* out of range codes get a message too */
	msg = ti_parse_strerror(ret - TI_PARSE_ERR_MAX);
	CHECK(msg != NULL && msg[0] != '\0');
	msg = ti_parse_strerror(ret + TI_PARSE_ERR_MAX);
	CHECK(msg != NULL && msg[0] != '\0');

	/* opts is always a valid (maybe empty) string in optbuf */
	olen = checked_strlen(req->opts, optbuf, size + 1);
	CHECK(req->verify == 0 || req->verify == 1);

	if (req->bad_name) {
		size_t i;

		CHECK(ret == TI_PARSE_OPT_UNKNOWN);
		CHECK(size > 0);
		CHECK(inside(req->bad_name, data, size));
		CHECK(req->bad_name_len > 0);
		CHECK(req->bad_name_len <= TI_LOGGABLE_NAME_MAX);
		CHECK(req->bad_name_len <=
		      (size_t)(data + size - req->bad_name));
		for (i = 0; i < req->bad_name_len; i++) {
			char c = req->bad_name[i];

			CHECK((c >= 'a' && c <= 'z') || c == '_' || c == '.');
		}
	}

	if (ret != TI_PARSE_OK)
		return;

	CHECK(size > 0);
	CHECK(req->bad_name == NULL);
	if (enc) {
		check_enc_ok(req, olen, optbuf, size);
		return;
	}
	CHECK(req->master == NULL);
	check_opts(req->opts, olen);
	check_parsed(req, olen, opt, size);

	switch (req->cmd) {
	case TI_CMD_IMPORT:
		CHECK(req->key_len >= TI_MIN_KEY_LEN);
		CHECK(req->key_len <= TI_MAX_KEY_LEN);
		CHECK(req->ref_desc == NULL);
		CHECK(req->opts == optbuf);
		break;
	case TI_CMD_IMPORT_KEY: {
		size_t dlen;

		CHECK(req->key_len == 0);
		CHECK(req->ref_type == TI_REF_USER ||
		      req->ref_type == TI_REF_LOGON ||
		      req->ref_type == TI_REF_ENCRYPTED);
		CHECK(req->ref_desc != NULL);
		dlen = checked_strlen(req->ref_desc, optbuf, size + 1);
		CHECK(dlen > 0);
		/* the options come after the description's NUL */
		CHECK(req->opts > req->ref_desc + dlen);
		break;
	}
	case TI_CMD_UPDATE:
		CHECK(req->key_len == 0);
		CHECK(req->ref_desc == NULL);
		CHECK(req->opts == optbuf);
		break;
	default:
		fail("cmd is not a ti_cmd value");
	}
}

/* The same payload with one '\n' appended must parse the same way. */
static void check_newline(const char *data, size_t size, int ret,
			  const struct ti_request *req, const char *optbuf)
{
	struct ti_request req2;
	char *data2, *optbuf2;
	struct ti_opt *opt2;
	int ret2;

	data2 = malloc(size + 1);
	optbuf2 = malloc(size + 2);
	opt2 = malloc(TI_MAX_OPTS(size + 1) * sizeof(*opt2));
	if (!data2 || !optbuf2 || !opt2)
		abort();
	memcpy(data2, data, size);
	data2[size] = '\n';
	ret2 = ti_parse(data2, size + 1, &req2, optbuf2, opt2);
	check_result(ret2, &req2, data2, size + 1, optbuf2, opt2, 0);

	CHECK(ret2 == ret);
	CHECK(req2.verify == req->verify);
	CHECK((req2.bad_name == NULL) == (req->bad_name == NULL));
	if (req->bad_name) {
		CHECK(req2.bad_name - data2 == req->bad_name - data);
		CHECK(req2.bad_name_len == req->bad_name_len);
	}
	if (ret == TI_PARSE_OK) {
		CHECK(req2.cmd == req->cmd);
		CHECK(req2.key_len == req->key_len);
		CHECK(!memcmp(req2.key, req->key, req->key_len));
		CHECK(req2.ref_type == req->ref_type);
		CHECK((req2.ref_desc == NULL) == (req->ref_desc == NULL));
		if (req->ref_desc)
			CHECK(!strcmp(req2.ref_desc, req->ref_desc));
		CHECK(!strcmp(req2.opts, req->opts));
		CHECK(req2.nr_opts == req->nr_opts);
		CHECK(!memcmp(req2.opt, req->opt,
			      req->nr_opts * sizeof(*req->opt)));
		(void)optbuf;
	}
	free(data2);
	free(optbuf2);
	free(opt2);
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	struct ti_request req;
	struct ti_opt *opt;
	char *data, *optbuf;
	int ret;

	/* malloc(0) may return NULL; keep a real (zero-size) allocation */
	data = malloc(size ? size : 1);
	optbuf = malloc(size + 1);
	opt = malloc(TI_MAX_OPTS(size) * sizeof(*opt));
	if (!data || !optbuf || !opt)
		abort();
	memcpy(data, in, size);
	/* garbage in optbuf and opt: the parser must not rely on them */
	memset(optbuf, 0xa5, size + 1);
	memset(opt, 0xa5, TI_MAX_OPTS(size) * sizeof(*opt));

	/* the same bytes as an encrypted-import request */
	ret = ti_parse_enc(data, size, &req, optbuf, opt);
	check_result(ret, &req, data, size, optbuf, opt, 1);
	memset(optbuf, 0xa5, size + 1);
	memset(opt, 0xa5, TI_MAX_OPTS(size) * sizeof(*opt));

	ret = ti_parse(data, size, &req, optbuf, opt);
	check_result(ret, &req, data, size, optbuf, opt, 0);

	/* well under TI_MAX_REQUEST, and not already ending in a newline */
	if (size < TI_MAX_REQUEST && (size == 0 || data[size - 1] != '\n'))
		check_newline(data, size, ret, &req, optbuf);

	free(data);
	free(optbuf);
	free(opt);
	return 0;
}
