/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trusted-import-migrate: what every part of the tool shares: the
 * configuration from the command line, the exit codes of the interface
 * and the message helpers.
 */
#ifndef TI_MIGRATE_H
#define TI_MIGRATE_H

#include <errno.h>
#include <stddef.h>
#include <keyutils.h>

#include "ti_request.h"

#define PROG "trusted-import-migrate"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Exit codes: part of the interface (the boot service tests them). EX_DONE,
 * EX_USAGE, ... from the table in exit_codes.def; a code or a name given
 * twice there is a redeclaration here.
 */
enum {
#define TI_EXIT(code, name, meaning) EX_##name = code,
#include "exit_codes.def"
#undef TI_EXIT
};
enum {
#define TI_EXIT(code, name, meaning) EX_CODE_##code##_TAKEN,
#include "exit_codes.def"
#undef TI_EXIT
};

enum src_kind {
	SRC_NONE = 0,
	SRC_FILE,
	SRC_STDIN,
	SRC_FD,
	SRC_KEY,
};

/* Longest --options string accepted. */
#define OPTS_MAX	2048

struct cfg {
	const char *name;		/* --name: description of the keys */
	int encrypted;			/* --type encrypted */
	const char *master;		/* --master, for --type encrypted */
	enum ti_enc_format format;	/* --format, for --type encrypted */
	const char *blob;		/* --blob PATH */
	enum src_kind src;
	const char *key_file;		/* --key-file */
	int key_fd;			/* --key-fd */
	char from_type[16];		/* --from-key TYPE: */
	const char *from_desc;		/* --from-key :DESC */
	int hex;			/* --key-format hex */
	char opts[OPTS_MAX + 1];	/* --options, single-spaced */
	char reload_opts[OPTS_MAX + 1];	/* the same without pcrlock= */
	const char *keyring;		/* --keyring as given */
	const char *check_dev;		/* --check-dmcrypt */
	const char *cipher;		/* --cipher */
	unsigned long long offset;	/* --offset, in 512-byte sectors */
	const char *check_cmd;		/* --check-cmd */
	int destroy_old;
	int dry_run;
	int verbose;
	int quiet;
};

/*
 * The old key, as found on start. For a file, stdin or fd source the bytes
 * are in locked memory (secbuf.h); for --from-key only its serial.
 */
struct oldkey {
	int present;
	unsigned char *bytes;		/* secbuf memory, len bytes */
	size_t len;			/* 0 when not known (--from-key) */
	key_serial_t serial;		/* --from-key: the key found */
	int shred_pending;		/* --key-file: FILE.ti-shred exists */
	char *shred_path;		/* FILE.ti-shred */
};

/* The stock type of the new key, and the type that imports it. */
static inline const char *new_type(const struct cfg *cfg)
{
	return cfg->encrypted ? "encrypted" : "trusted";
}

static inline const char *import_type(const struct cfg *cfg)
{
	return cfg->encrypted ? "encrypted-import" : "trusted-import";
}

/* An errno that says a key (an encrypted key's master) is not there. */
static inline int key_gone(int e)
{
	return e == ENOKEY || e == EKEYREVOKED || e == EKEYEXPIRED;
}

/* msg.c */
void msg_init(const struct cfg *cfg);
void msg_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* the progress markers of steps.def: steps 1 to 4, then the last */
void msg_step(int n);
void msg_done(void);

#endif /* TI_MIGRATE_H */
