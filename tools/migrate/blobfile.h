/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TI_BLOBFILE_H
#define TI_BLOBFILE_H

#include <stddef.h>

#include "migrate.h"

/*
 * Longest blob, in characters, that the tool handles: an encrypted key's
 * of 4096 bytes of data is "FORMAT MASTER 4096 " and 8288 hex digits.
 */
#define BLOB_HEX_MAX	16384

struct blobfile {
	const char *path;	/* as given */
	char *dir;		/* its directory */
	char *base;		/* its file name */
	int dirfd;		/* -1 when the directory does not exist */
};

/*
 * Open the blob's directory (and lock it against a second run on the same
 * directory, unless dry). 0, or -errno (ENOENT is not an error: dirfd is
 * then -1).
 */
int blob_open(struct blobfile *b, const char *path, int dry);
void blob_close(struct blobfile *b);
/* Remove .BASE.tmp.* left by a run that was cut short; count them. */
int blob_clean_stale(struct blobfile *b, int dry);
/* 1 when a blob file exists, 0 when not, -errno when it cannot tell. */
int blob_exists(struct blobfile *b);
/*
 * An encrypted key's text, as its read gives it and its blob file holds
 * it: "FORMAT MASTER DATALEN HEX", single blanks between the fields.
 */
struct enc_text {
	const char *format, *master, *hex;
	size_t format_len, master_len, hex_len;
	long datalen;			/* > 0 */
};

/*
 * Split s (n characters) into its fields (pointers into s; the hex is not
 * checked here). 0, or -EINVAL when s is not of that shape.
 */
int enc_text_split(const char *s, size_t n, struct enc_text *t);
/*
 * Whether s (n characters) looks like a blob of the new key's type: hex
 * for a trusted key; "FORMAT MASTER DATALEN HEX" with --format and
 * --master for an encrypted key. The stock type's load is the proof.
 */
int blob_plausible(const struct cfg *cfg, const char *s, size_t n);
/*
 * Read the blob: its text with trailing blanks removed, into a malloc'ed
 * string. 0, -EBADMSG when it is not a plausible blob (empty, too long,
 * not blob_plausible()), or -errno.
 */
int blob_read(const struct cfg *cfg, struct blobfile *b, char **hex,
	      size_t *len);
/*
 * Write hex + "\n" atomically: .BASE.tmp.PID (O_EXCL, 0600), fsync, rename
 * over BASE, fsync the directory. 0, or -errno (the temp file removed).
 */
int blob_write(struct blobfile *b, const char *hex, size_t len);
/* Remove the blob (after a failed check of a blob this run wrote). */
int blob_remove(struct blobfile *b);
/* fsync a directory; filesystems that cannot (EINVAL) count as done. */
int fsync_dir(int dirfd);

#endif /* TI_BLOBFILE_H */
