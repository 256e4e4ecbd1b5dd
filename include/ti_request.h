/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trusted-import request grammar, shared by the kernel module and by
 * userspace (unit tests, fuzzing): the same source compiles in both.
 *
 *   import <hex key> [option ...]     create a key (add_key)
 *   import-key <type>:<desc> [option ...]
 *                                     create a key from the bytes of a
 *                                     user, logon or encrypted key
 *   update [option ...]               reseal an existing key (keyctl update)
 *
 * Options are the stock trusted ones, passed through unchanged, or our own,
 * which all start with TI_OPT_PREFIX and never reach the stock code:
 *
 *   ti.verify=0|1    load the fresh blob and compare before returning
 *                    (default 1)
 *
 * The "encrypted-import" type takes the stock encrypted type's grammar,
 * with our own options only (ti_parse_enc()):
 *
 *   import [default|ecryptfs|enc32] <trusted:|user:><desc> <hex data>
 *   import-key [default|ecryptfs|enc32] <trusted:|user:><desc> <type>:<desc>
 */
#ifndef TI_REQUEST_H
#define TI_REQUEST_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#endif

#define TI_MIN_KEY_LEN		32	/* MIN_KEY_SIZE of the stock type */
#define TI_MAX_KEY_LEN		128	/* MAX_KEY_SIZE of the stock type */
#define TI_MAX_REQUEST		32767	/* the stock type's own datalen limit */
/* The stock encrypted type's decrypted data: MIN_ and MAX_DATA_SIZE. */
#define TI_ENC_MIN_LEN		20
#define TI_ENC_MAX_LEN		4096
#define TI_ENC32_LEN		32	/* format enc32: KEY_ENC32_PAYLOAD_LEN */
#define TI_ECRYPTFS_LEN		64	/* format ecryptfs: ECRYPTFS_MAX_KEY_BYTES */
#define TI_ECRYPTFS_DESC_LEN	16	/* an ecryptfs key's description */
#define TI_OPT_PREFIX		"ti."

/* Where our code treats a stock option apart: see ti_options.h. */
#define TI_OPTF_NO_VERIFY	0x1	/* not replayed by verification */
#define TI_OPTF_LEGACY		0x2	/* known before 5.13 */

/* The stock options, TI_OPT_KEYHANDLE and so on (ti_options.h). */
enum ti_opt_id {
#define TI_OPT(id, ...)	TI_OPT_##id,
#include "ti_options.h"
	TI_OPT_NR
};

struct ti_opt_info {
	const char *name;
	unsigned int name_len;
	unsigned int flags;		/* TI_OPTF_* */
};

/* By enum ti_opt_id. */
extern const struct ti_opt_info ti_opt_info[TI_OPT_NR];

/* The stock option called @name (@n bytes, no '='), or -1: none is. */
int ti_opt_lookup(const char *name, unsigned int n);

/*
 * One stock option of a request, as parsed: the token "name=value" at
 * opts + off, of len bytes, and which option it is (its value:
 * ti_opt_value()).
 */
struct ti_opt {
	unsigned short id;			/* enum ti_opt_id */
	unsigned short off;
	unsigned short len;
};

/* The value of @o, an option parsed from @opts: after its name and '='. */
static inline const char *ti_opt_value(const char *opts,
				       const struct ti_opt *o)
{
	return opts + o->off + ti_opt_info[o->id].name_len + 1;
}

/*
 * Room for the stock options of a @len-byte request: each takes at least
 * 7 bytes (a blank and "name=v", no name being shorter than
 * TI_OPT_NAME_MIN, which tests/unit checks), after a command of at least
 * 6. Should that ever fail, ti_parse() refuses rather than overflow.
 */
#define TI_OPT_NAME_MIN		4
#define TI_MAX_OPTS(len)	((len) / 7 + 1)

enum ti_cmd {
	TI_CMD_IMPORT = 1,
	TI_CMD_IMPORT_KEY,
	TI_CMD_UPDATE,
};

/* The key types import-key may read from. */
/* The stock encrypted type's formats, by their names there. */
enum ti_enc_format {
	TI_FMT_DEFAULT = 0,
	TI_FMT_ECRYPTFS,
	TI_FMT_ENC32,
	TI_FMT_NR,
};

extern const char *const ti_enc_format_name[TI_FMT_NR];

enum ti_ref_type {
	TI_REF_USER = 1,
	TI_REF_LOGON,
	TI_REF_ENCRYPTED,
};

enum ti_parse_err {
	TI_PARSE_OK = 0,
	TI_PARSE_EMPTY,
	TI_PARSE_TOO_LONG,
	TI_PARSE_NUL,
	TI_PARSE_BAD_CHAR,
	TI_PARSE_UNKNOWN_CMD,
	TI_PARSE_NO_HEX,
	TI_PARSE_HEX_CHAR,
	TI_PARSE_HEX_ODD,
	TI_PARSE_KEY_SHORT,
	TI_PARSE_KEY_LONG,
	TI_PARSE_OPT_FORM,
	TI_PARSE_OPT_UNKNOWN,
	TI_PARSE_OPT_VALUE,
	TI_PARSE_KEYREF,
	TI_PARSE_OPT_REPEAT,
	TI_PARSE_MASTER,
	TI_PARSE_DATA_SHORT,
	TI_PARSE_DATA_LONG,
	TI_PARSE_FORMAT_LEN,
	TI_PARSE_ENC_CMD,
	TI_PARSE_ERR_MAX,
};

struct ti_request {
	enum ti_cmd cmd;
	unsigned int key_len;			/* import only */
	/* import only: the secret (trusted: at most TI_MAX_KEY_LEN) */
	unsigned char key[TI_ENC_MAX_LEN];
	int verify;				/* ti.verify=, default 1 */
	int verify_set;				/* ti.verify= was given */
	/* import-key only: the source key's type and description */
	enum ti_ref_type ref_type;
	char *ref_desc;				/* NUL-terminated, in optbuf */
	/* filled by the module once the source is found, for the audit */
	int ref_serial;
	unsigned int ref_uid;
	/* encrypted-import only: the format and "<trusted:|user:><desc>" */
	enum ti_enc_format format;
	char *master;				/* NUL-terminated, in optbuf */
	/* filled by the module from an eCryptfs auth token source */
	char ref_sig[TI_ECRYPTFS_DESC_LEN + 1];
	/*
	 * Stock options, separated by single spaces and NUL-terminated, in the
	 * caller's buffer of at least len + 1 bytes (after ref_desc when there
	 * is one), as the stock type takes them. They may hold secrets
	 * (keyauth=, blobauth=): wipe the buffer like the key.
	 */
	char *opts;
	/*
	 * The same options, parsed, in the order given: nr_opts of them in
	 * the caller's array of TI_MAX_OPTS(len). They point into opts only.
	 */
	struct ti_opt *opt;
	unsigned int nr_opts;
	/*
	 * For TI_PARSE_OPT_UNKNOWN: the option's name, when it is short and
	 * made of name characters only, so that it can be logged without any
	 * risk of logging key material. Otherwise NULL.
	 */
	const char *bad_name;
	unsigned int bad_name_len;
};

/*
 * Parse @len bytes at @data into @req, with @optbuf (at least @len + 1
 * bytes) to hold the stock options and @opt (TI_MAX_OPTS(@len) entries)
 * to hold them parsed. Returns TI_PARSE_OK or the first problem found; on
 * error @req->key may hold partial key bytes.
 */
int ti_parse(const char *data, size_t len, struct ti_request *req,
	     char *optbuf, struct ti_opt *opt);

/*
 * The same for an encrypted-import request: no stock options (nr_opts is
 * 0), the format and master in @req, and the data's length checked
 * against the format as the stock type checks it.
 */
int ti_parse_enc(const char *data, size_t len, struct ti_request *req,
		 char *optbuf, struct ti_opt *opt);

/* The lengths of decrypted data that @format takes (the stock limits). */
void ti_enc_len_range(enum ti_enc_format format, size_t *min, size_t *max);

/*
 * 0 if @len bytes of decrypted data suit @format as the stock encrypted
 * type requires, else the TI_PARSE_* error that says why.
 */
int ti_enc_len_check(enum ti_enc_format format, size_t len);

/* Whether @tok (@n bytes) names a master: trusted:<desc> or user:<desc>. */
int ti_enc_master_ok(const char *tok, size_t n);

/*
 * Whether @desc (NUL-terminated) is an ecryptfs key's description: 16 hex
 * digits, either case (the stock valid_ecryptfs_desc()).
 */
int ti_ecryptfs_desc_ok(const char *desc);

/* A short phrase naming the problem, for logs and userspace tools. */
const char *ti_parse_strerror(int err);

/*
 * Decode the 2 * @n hex digits at @src into @n bytes at @dst in constant
 * time: no branch and no memory index depends on a digit. Negative if any
 * digit was not hex (@dst then holds garbage). tests/unit/ct_hex.c checks
 * this under valgrind.
 */
int ti_hex_decode(unsigned char *dst, const char *src, size_t n);

#endif /* TI_REQUEST_H */
