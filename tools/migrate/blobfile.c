// SPDX-License-Identifier: GPL-2.0
/*
 * The blob on disk. It only ever appears complete: written to a temporary
 * file in the same directory, synced, then renamed into place, and the
 * directory synced. So a blob that exists is whole, whatever power cut
 * came before; a cut before the rename leaves a .BASE.tmp.PID file, which
 * the next run removes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blobfile.h"
#include "hex.h"
#include "migrate.h"

int fsync_dir(int dirfd)
{
	if (fsync(dirfd) && errno != EINVAL)
		return -errno;
	return 0;
}

int blob_open(struct blobfile *b, const char *path, int dry)
{
	char *c1 = strdup(path), *c2 = strdup(path);

	memset(b, 0, sizeof(*b));
	b->dirfd = -1;
	b->path = path;
	if (!c1 || !c2) {
		free(c1);
		free(c2);
		return -ENOMEM;
	}
	b->dir = strdup(dirname(c1));
	b->base = strdup(basename(c2));
	free(c1);
	free(c2);
	if (!b->dir || !b->base)
		return -ENOMEM;
	b->dirfd = open(b->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (b->dirfd < 0)
		return errno == ENOENT ? 0 : -errno;
	/* two runs on one directory would fight over the temp files */
	if (!dry)
		(void)flock(b->dirfd, LOCK_EX);
	return 0;
}

void blob_close(struct blobfile *b)
{
	if (b->dirfd >= 0)
		close(b->dirfd);
	free(b->dir);
	free(b->base);
	b->dirfd = -1;
	b->dir = NULL;
	b->base = NULL;
}

static size_t tmp_prefix(const struct blobfile *b, char *out, size_t cap)
{
	return (size_t)snprintf(out, cap, ".%s.tmp.", b->base);
}

int blob_clean_stale(struct blobfile *b, int dry)
{
	char prefix[300];
	size_t plen;
	struct dirent *de;
	DIR *d;
	int fd, n = 0;

	if (b->dirfd < 0)
		return 0;
	plen = tmp_prefix(b, prefix, sizeof(prefix));
	if (plen >= sizeof(prefix))
		return 0;
	fd = openat(b->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return 0;
	}
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, prefix, plen))
			continue;
		n++;
		if (dry)
			continue;
		if (unlinkat(b->dirfd, de->d_name, 0) == 0)
			msg_verbose("removed the stale temporary file %s/%s",
				    b->dir, de->d_name);
	}
	closedir(d);
	if (n && !dry)
		fsync_dir(b->dirfd);
	return n;
}

int blob_exists(struct blobfile *b)
{
	struct stat st;

	if (b->dirfd < 0)
		return 0;
	if (fstatat(b->dirfd, b->base, &st, 0) == 0)
		return 1;
	return errno == ENOENT ? 0 : -errno;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

int enc_text_split(const char *s, size_t n, struct enc_text *t)
{
	const char *end = s + n, *p = s, *sp;

	sp = memchr(p, ' ', end - p);
	if (!sp || sp == p)
		return -EINVAL;
	t->format = p;
	t->format_len = sp - p;
	p = sp + 1;
	sp = memchr(p, ' ', end - p);
	if (!sp || sp == p)
		return -EINVAL;
	t->master = p;
	t->master_len = sp - p;
	p = sp + 1;
	if (p >= end || *p < '1' || *p > '9')
		return -EINVAL;
	t->datalen = 0;
	while (p < end && *p >= '0' && *p <= '9') {
		if (t->datalen > INT_MAX / 10)	/* no overflow */
			return -EINVAL;
		t->datalen = t->datalen * 10 + (*p++ - '0');
	}
	if (p >= end || *p++ != ' ' || p >= end)
		return -EINVAL;
	t->hex = p;
	t->hex_len = end - p;
	return 0;
}

int blob_plausible(const struct cfg *cfg, const char *s, size_t n)
{
	const char *fmt = ti_enc_format_name[cfg->format];
	struct enc_text t;

	if (!cfg->encrypted)
		return n % 2 == 0 && hex_only(s, n);
	return !enc_text_split(s, n, &t) && t.format_len == strlen(fmt) &&
	       !memcmp(t.format, fmt, t.format_len) &&
	       t.master_len == strlen(cfg->master) &&
	       !memcmp(t.master, cfg->master, t.master_len) &&
	       t.hex_len % 2 == 0 && hex_only(t.hex, t.hex_len);
}

int blob_read(const struct cfg *cfg, struct blobfile *b, char **hex,
	      size_t *len)
{
	size_t cap = BLOB_HEX_MAX + 64, n = 0;
	char *buf;
	int fd, e;

	fd = openat(b->dirfd, b->base, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t r = read(fd, buf + n, cap - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			e = errno;
			close(fd);
			free(buf);
			return -e;
		}
		if (r == 0)
			break;
		n += r;
		if (n == cap)
			break;
	}
	close(fd);
	while (n && is_blank(buf[n - 1]))
		n--;
	buf[n] = '\0';
	if (!n || n > BLOB_HEX_MAX || !blob_plausible(cfg, buf, n)) {
		free(buf);
		return -EBADMSG;
	}
	*hex = buf;
	*len = n;
	return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		if (w == 0)
			return -EIO;
		p += w;
		n -= w;
	}
	return 0;
}

int blob_write(struct blobfile *b, const char *hex, size_t len)
{
	char tmp[320];
	size_t plen;
	int fd, r;

	if (b->dirfd < 0)
		return -ENOENT;
	plen = tmp_prefix(b, tmp, sizeof(tmp));
	if (plen >= sizeof(tmp) - 16)
		return -ENAMETOOLONG;
	snprintf(tmp + plen, sizeof(tmp) - plen, "%ld", (long)getpid());

	fd = openat(b->dirfd, tmp,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    0600);
	if (fd < 0)
		return -errno;
	r = fchmod(fd, 0600) ? -errno : 0;
	if (!r)
		r = write_all(fd, hex, len);
	if (!r)
		r = write_all(fd, "\n", 1);
	if (!r && fsync(fd))
		r = -errno;
	if (close(fd) && !r)
		r = -errno;
	if (!r && renameat(b->dirfd, tmp, b->dirfd, b->base))
		r = -errno;
	if (r) {
		unlinkat(b->dirfd, tmp, 0);
		return r;
	}
	r = fsync_dir(b->dirfd);
	if (r)	/* not known to be durable: do not leave it for a re-run */
		unlinkat(b->dirfd, b->base, 0);
	return r;
}

int blob_remove(struct blobfile *b)
{
	if (unlinkat(b->dirfd, b->base, 0))
		return -errno;
	return fsync_dir(b->dirfd);
}
