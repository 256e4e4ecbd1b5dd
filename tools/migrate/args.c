// SPDX-License-Identifier: GPL-2.0
/*
 * The command line: the interface agreed with the boot service, the
 * documentation and the tests. Option names and exit codes do not change.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

#ifndef TI_VERSION
#define TI_VERSION "unknown"
#endif

enum {
	OPT_NAME = 256,
	OPT_TYPE,
	OPT_MASTER,
	OPT_FORMAT,
	OPT_BLOB,
	OPT_KEY_FILE,
	OPT_KEY_STDIN,
	OPT_KEY_FD,
	OPT_FROM_KEY,
	OPT_KEY_FORMAT,
	OPT_OPTIONS,
	OPT_KEYRING,
	OPT_CHECK_DMCRYPT,
	OPT_CIPHER,
	OPT_OFFSET,
	OPT_CHECK_CMD,
	OPT_DESTROY_OLD,
	OPT_DRY_RUN,
	OPT_VERSION,
};

static const struct option longopts[] = {
	{ "name", required_argument, NULL, OPT_NAME },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "master", required_argument, NULL, OPT_MASTER },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "blob", required_argument, NULL, OPT_BLOB },
	{ "key-file", required_argument, NULL, OPT_KEY_FILE },
	{ "key-stdin", no_argument, NULL, OPT_KEY_STDIN },
	{ "key-fd", required_argument, NULL, OPT_KEY_FD },
	{ "from-key", required_argument, NULL, OPT_FROM_KEY },
	{ "key-format", required_argument, NULL, OPT_KEY_FORMAT },
	{ "options", required_argument, NULL, OPT_OPTIONS },
	{ "keyring", required_argument, NULL, OPT_KEYRING },
	{ "check-dmcrypt", required_argument, NULL, OPT_CHECK_DMCRYPT },
	{ "cipher", required_argument, NULL, OPT_CIPHER },
	{ "offset", required_argument, NULL, OPT_OFFSET },
	{ "check-cmd", required_argument, NULL, OPT_CHECK_CMD },
	{ "destroy-old", no_argument, NULL, OPT_DESTROY_OLD },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static const char usage_text[] =
"Usage: " PROG " --name NAME --blob PATH SOURCE [options]\n"
"       " PROG " --type encrypted --master TYPE:DESC\n"
"                              --name NAME --blob PATH SOURCE [options]\n"
"Move an existing key under the TPM (or TEE): import it as a trusted key,\n"
"or as an encrypted key under a trusted master, store its blob, prove the\n"
"blob, then optionally destroy the old key.\n"
"\n"
"SOURCE, exactly one of:\n"
"  --key-file PATH         the old key in a file\n"
"  --key-stdin             the old key on standard input\n"
"  --key-fd N              the old key on file descriptor N\n"
"  --from-key TYPE:DESC    the old key in the kernel (logon:, user: or\n"
"                          encrypted:); its bytes never enter this tool\n"
"Options:\n"
"  --type TYPE             the new key's stock type: trusted (the default)\n"
"                          or encrypted\n"
"  --master TYPE:DESC      encrypted: its master, trusted:DESC or user:DESC,\n"
"                          loaded before the run and at every later boot\n"
"  --format FORMAT         encrypted: default, ecryptfs (64 bytes, NAME the\n"
"                          16-hex-digit signature) or enc32 (32 bytes)\n"
"  --key-format raw|hex    format of a file, stdin or fd key (default raw)\n"
"  --options \"OPTS\"        stock trusted options, e.g. keyhandle=0x81000001\n"
"                          (pcrlock= is used for the import only; trusted\n"
"                          keys only)\n"
"  --keyring KR            where the new key NAME ends up: @u (default), @s,\n"
"                          @us or a keyring id\n"
"  --check-dmcrypt DEV     check: DEV decrypts the same with old and new key\n"
"  --cipher SPEC           cipher for that check (default aes-xts-plain64)\n"
"  --offset SECTORS        payload offset for that check (default 0)\n"
"  --check-cmd CMD         check: /bin/sh -c CMD must exit 0 (environment:\n"
"                          TI_KEY_SERIAL, TI_KEY_NAME)\n"
"  --destroy-old           after a passed check, shred the key file or\n"
"                          unlink and revoke the kernel key\n"
"  --dry-run               print the plan, change nothing\n"
"  -v, --verbose           print each step before it starts\n"
"  -q, --quiet             print errors only\n"
"  -h, --help              this text\n"
"      --version           the version\n"
"\n"
"Exit status:\n"
#define TI_EXIT(code, name, meaning) "  " #code "  " meaning "\n"
#include "exit_codes.def"
#undef TI_EXIT
"See trusted-import-migrate(8).\n";

/* every line of the exit status above fits in 80 columns */
#define TI_EXIT(code, name, meaning) \
	_Static_assert(sizeof(meaning) - 1 <= 72, \
		       "exit_codes.def: meaning of " #name " over 72 characters");
#include "exit_codes.def"
#undef TI_EXIT

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, PROG ": ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry '" PROG " --help'.\n");
	return EX_USAGE;
}

/* A key description or a dm-crypt table word: printable, no blanks. */
static int is_word(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isgraph((unsigned char)*s))
			return 0;
	return 1;
}

static int parse_ull(const char *s, unsigned long long max,
		     unsigned long long *out)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || *end || *out > max)
		return -1;
	return 0;
}

/*
 * --options: whitespace-separated name=value tokens, stored single-spaced;
 * reload_opts gets the same without pcrlock=, which the reload must never
 * replay. Options of trusted-import itself (ti.) are not accepted: the
 * import always verifies, and the reload goes to the stock type.
 */
static int parse_options(const char *in, struct cfg *cfg)
{
	const char *p = in;
	size_t n = 0, r = 0;

	if (strlen(in) > OPTS_MAX)
		return usage_error("--options: longer than %s characters",
				   "2048");
	while (*p) {
		const char *t;
		size_t len;

		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		t = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		len = p - t;
		/* never echo a token: it might hold a secret */
		if (!memchr(t, '=', len) || *t == '=')
			return usage_error("--options: %s",
					   "every option is name=value");
		if (!strncmp(t, "ti.", 3))
			return usage_error("--options: %s: trusted-import's own options are not for this tool (it always verifies)",
					   "ti.*");
		for (const char *c = t; c < p; c++)
			if (!isgraph((unsigned char)*c))
				return usage_error("--options: %s",
						   "control character");
		if (n)
			cfg->opts[n++] = ' ';
		memcpy(cfg->opts + n, t, len);
		n += len;
		if (strncmp(t, "pcrlock=", 8)) {
			if (r)
				cfg->reload_opts[r++] = ' ';
			memcpy(cfg->reload_opts + r, t, len);
			r += len;
		}
	}
	cfg->opts[n] = '\0';
	cfg->reload_opts[r] = '\0';
	return -1;
}

static int parse_from_key(const char *arg, struct cfg *cfg)
{
	const char *colon = strchr(arg, ':');
	size_t tlen;

	if (!colon)
		return usage_error("--from-key %s: want TYPE:DESC", arg);
	tlen = colon - arg;
	if (tlen >= sizeof(cfg->from_type))
		return usage_error("--from-key %s: TYPE is logon, user or encrypted",
				   arg);
	memcpy(cfg->from_type, arg, tlen);
	cfg->from_type[tlen] = '\0';
	if (strcmp(cfg->from_type, "logon") && strcmp(cfg->from_type, "user") &&
	    strcmp(cfg->from_type, "encrypted"))
		return usage_error("--from-key %s: TYPE is logon, user or encrypted",
				   arg);
	cfg->from_desc = colon + 1;
	if (!is_word(cfg->from_desc) || strlen(cfg->from_desc) > 1024)
		return usage_error("--from-key %s: DESC must be non-empty, without blanks",
				   arg);
	return -1;
}

/* --master: trusted:DESC or user:DESC, as the stock encrypted type takes. */
static int parse_master(const char *arg, struct cfg *cfg)
{
	if (!ti_enc_master_ok(arg, strlen(arg)) || !is_word(arg) ||
	    strlen(arg) > 1024)
		return usage_error("--master %s: want trusted:DESC or user:DESC",
				   arg);
	cfg->master = arg;
	return -1;
}

static int parse_format(const char *arg, struct cfg *cfg)
{
	int f;

	for (f = 0; f < TI_FMT_NR; f++) {
		if (!strcmp(arg, ti_enc_format_name[f])) {
			cfg->format = f;
			return -1;
		}
	}
	return usage_error("--format %s: default, ecryptfs or enc32", arg);
}

/* The rules of --type encrypted, once every option is known. */
static int check_encrypted(struct cfg *cfg, int have_format)
{
	if (!cfg->encrypted) {
		if (cfg->master || have_format)
			return usage_error("%s",
					   "--master and --format go with --type encrypted");
		return -1;
	}
	if (!cfg->master)
		return usage_error("%s",
				   "--type encrypted needs --master trusted:DESC (or user:DESC)");
	if (cfg->opts[0])
		return usage_error("%s",
				   "--options: an encrypted key takes none (its master's options go with the master)");
	if (cfg->format == TI_FMT_ECRYPTFS && !ti_ecryptfs_desc_ok(cfg->name))
		return usage_error("--name %s: an ecryptfs key is named by its signature, 16 hex digits",
				   cfg->name);
	if (cfg->format == TI_FMT_ECRYPTFS && cfg->check_dev)
		return usage_error("%s",
				   "--check-dmcrypt: dm-crypt cannot use an ecryptfs key; use --check-cmd");
	return -1;
}

static int set_source(struct cfg *cfg, enum src_kind kind)
{
	if (cfg->src != SRC_NONE)
		return usage_error("%s",
				   "give exactly one of --key-file, --key-stdin, --key-fd, --from-key");
	cfg->src = kind;
	return -1;
}

static int check_blob_path(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		return usage_error("--blob %s: not a file name", path);
	if (strlen(path) > PATH_MAX - 64)
		return usage_error("--blob %s: path too long", path);
	return -1;
}

int args_parse(int argc, char **argv, struct cfg *cfg)
{
	unsigned long long v;
	int c, r, have_format = 0, have_dmopt = 0, have_type = 0;
	int have_encformat = 0;
	char optc[2] = "";

	memset(cfg, 0, sizeof(*cfg));
	cfg->key_fd = -1;
	cfg->keyring = "@u";
	cfg->cipher = "aes-xts-plain64";

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":vqh", longopts, NULL)) != -1) {
		r = -1;
		switch (c) {
		case OPT_NAME:
			cfg->name = optarg;
			break;
		case OPT_TYPE:
			if (have_type++)
				return usage_error("%s", "--type given twice");
			if (!strcmp(optarg, "encrypted"))
				cfg->encrypted = 1;
			else if (strcmp(optarg, "trusted"))
				return usage_error("--type %s: trusted or encrypted",
						   optarg);
			break;
		case OPT_MASTER:
			if (cfg->master)
				return usage_error("%s", "--master given twice");
			r = parse_master(optarg, cfg);
			break;
		case OPT_FORMAT:
			if (have_encformat++)
				return usage_error("%s", "--format given twice");
			r = parse_format(optarg, cfg);
			break;
		case OPT_BLOB:
			cfg->blob = optarg;
			break;
		case OPT_KEY_FILE:
			r = set_source(cfg, SRC_FILE);
			cfg->key_file = optarg;
			break;
		case OPT_KEY_STDIN:
			r = set_source(cfg, SRC_STDIN);
			break;
		case OPT_KEY_FD:
			r = set_source(cfg, SRC_FD);
			if (r >= 0)
				break;
			if (parse_ull(optarg, INT_MAX, &v))
				return usage_error("--key-fd %s: not a file descriptor",
						   optarg);
			cfg->key_fd = (int)v;
			break;
		case OPT_FROM_KEY:
			r = set_source(cfg, SRC_KEY);
			if (r < 0)
				r = parse_from_key(optarg, cfg);
			break;
		case OPT_KEY_FORMAT:
			if (!strcmp(optarg, "hex"))
				cfg->hex = 1;
			else if (strcmp(optarg, "raw"))
				return usage_error("--key-format %s: raw or hex",
						   optarg);
			have_format = 1;
			break;
		case OPT_OPTIONS:
			r = parse_options(optarg, cfg);
			break;
		case OPT_KEYRING:
			cfg->keyring = optarg;
			break;
		case OPT_CHECK_DMCRYPT:
			cfg->check_dev = optarg;
			break;
		case OPT_CIPHER:
			cfg->cipher = optarg;
			have_dmopt = 1;
			if (!is_word(optarg))
				return usage_error("--cipher '%s': one word",
						   optarg);
			break;
		case OPT_OFFSET:
			have_dmopt = 1;
			if (parse_ull(optarg, ULLONG_MAX / 512, &cfg->offset))
				return usage_error("--offset %s: a number of sectors",
						   optarg);
			break;
		case OPT_CHECK_CMD:
			cfg->check_cmd = optarg;
			break;
		case OPT_DESTROY_OLD:
			cfg->destroy_old = 1;
			break;
		case OPT_DRY_RUN:
			cfg->dry_run = 1;
			break;
		case 'v':
			cfg->verbose = 1;
			break;
		case 'q':
			cfg->quiet = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EX_DONE;
		case OPT_VERSION:
			printf(PROG " " TI_VERSION "\n");
			return EX_DONE;
		case ':':
			return usage_error("%s needs an argument",
					   argv[optind - 1]);
		default:
			if (optopt > 0 && optopt < 256) {
				optc[0] = (char)optopt;
				return usage_error("unknown option -%s", optc);
			}
			return usage_error("unknown option %s",
					   argv[optind - 1]);
		}
		if (r >= 0)
			return r;
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (!cfg->name || !cfg->blob || cfg->src == SRC_NONE)
		return usage_error("%s",
				   "--name, --blob and one SOURCE (--key-file, --key-stdin, --key-fd or --from-key) are required");
	if (!is_word(cfg->name) || strlen(cfg->name) > 255)
		return usage_error("--name '%s': a key description without blanks",
				   cfg->name);
	r = check_blob_path(cfg->blob);
	if (r >= 0)
		return r;
	if (cfg->src == SRC_FILE && !*cfg->key_file)
		return usage_error("%s", "--key-file: empty path");
	if (cfg->src == SRC_FILE && !strcmp(cfg->key_file, cfg->blob))
		return usage_error("%s", "--key-file and --blob are the same file");
	if (cfg->src == SRC_KEY && have_format)
		return usage_error("%s",
				   "--key-format is for --key-file, --key-stdin and --key-fd");
	if (cfg->destroy_old && (cfg->src == SRC_STDIN || cfg->src == SRC_FD))
		return usage_error("%s",
				   "--destroy-old destroys a --key-file or --from-key key; there is nothing to destroy for --key-stdin or --key-fd");
	if (cfg->verbose && cfg->quiet)
		return usage_error("%s", "--verbose and --quiet exclude each other");
	if (cfg->check_cmd && !*cfg->check_cmd)
		return usage_error("%s", "--check-cmd: empty command");
	if (cfg->check_dev && !*cfg->check_dev)
		return usage_error("%s", "--check-dmcrypt: empty path");
	if (!cfg->check_dev && have_dmopt)
		return usage_error("%s", "--cipher and --offset go with --check-dmcrypt");
	r = check_encrypted(cfg, have_encformat);
	if (r >= 0)
		return r;
	if (strcmp(cfg->keyring, "@u") && strcmp(cfg->keyring, "@s") &&
	    strcmp(cfg->keyring, "@us") &&
	    (parse_ull(cfg->keyring, INT_MAX, &v) || v == 0))
		return usage_error("--keyring %s: @u, @s, @us or a keyring id",
				   cfg->keyring);
	return -1;
}
