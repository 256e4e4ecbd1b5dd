// SPDX-License-Identifier: GPL-2.0
/*
 * Step 4: the old key goes. A key file is overwritten with zeros and
 * unlinked, under a new name first so that a re-run knows, after any cut,
 * which file it was shredding: FILE.ti-shred is always a file that the
 * tool had decided to destroy. Overwriting is only as good as the storage
 * lets it be (journals, flash translation layers, snapshots keep copies).
 * A kernel key is revoked, which makes it unusable at once and frees a
 * user or logon key's bytes, then unlinked.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blobfile.h"
#include "destroy.h"

static int open_dir_of(const char *path)
{
	char *c = strdup(path);
	int fd;

	if (!c)
		return -1;
	fd = open(dirname(c), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(c);
	return fd;
}

static int zero_fill(int fd, off_t size)
{
	static const unsigned char zeros[4096];
	off_t done = 0;

	while (done < size) {
		size_t n = size - done > (off_t)sizeof(zeros) ?
			   sizeof(zeros) : (size_t)(size - done);
		ssize_t w = pwrite(fd, zeros, n, done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		done += w;
	}
	return fsync(fd);
}

int destroy_finish(const char *shred_path)
{
	struct stat st;
	int fd, dfd, ret = -1;

	fd = open(shred_path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		msg_err("cannot shred %s: %s", shred_path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		msg_err("cannot shred %s: not a regular file", shred_path);
		close(fd);
		return -1;
	}
	if (zero_fill(fd, st.st_size)) {
		msg_err("cannot overwrite %s: %s", shred_path,
			strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	if (unlink(shred_path)) {
		msg_err("cannot remove %s: %s", shred_path, strerror(errno));
		return -1;
	}
	dfd = open_dir_of(shred_path);
	if (dfd >= 0) {
		ret = fsync_dir(dfd);
		close(dfd);
	}
	if (ret)
		msg_err("cannot sync the directory of %s", shred_path);
	return ret;
}

int destroy_file(const char *path, const char *shred_path)
{
	int dfd, r;

	/* an earlier cut shred left: finish it before a rename replaces it */
	if (destroy_finish(shred_path))
		return -1;
	if (rename(path, shred_path)) {
		msg_err("cannot rename %s for shredding: %s", path,
			strerror(errno));
		return -1;
	}
	dfd = open_dir_of(path);
	r = dfd >= 0 ? fsync_dir(dfd) : -1;
	if (dfd >= 0)
		close(dfd);
	if (r) {
		msg_err("cannot sync the directory of %s", path);
		return -1;
	}
	return destroy_finish(shred_path);
}

#define WALK_DEPTH	8
#define WALK_MAX	64

struct walk {
	key_serial_t target;
	key_serial_t seen[WALK_MAX];
	int nseen;
	int unlinked;
};

static int is_keyring(key_serial_t id)
{
	char *desc = NULL;
	int r;

	if (keyctl_describe_alloc(id, &desc) < 0)
		return 0;
	r = !strncmp(desc, "keyring;", 8);
	free(desc);
	return r;
}

static void walk(struct walk *w, key_serial_t ring, int depth)
{
	key_serial_t *ids = NULL;
	long n, i;
	int j;

	for (j = 0; j < w->nseen; j++)
		if (w->seen[j] == ring)
			return;
	if (w->nseen == WALK_MAX || depth > WALK_DEPTH)
		return;
	w->seen[w->nseen++] = ring;
	n = keyctl_read_alloc(ring, (void **)&ids);
	if (n < 0)
		return;
	n /= sizeof(*ids);
	for (i = 0; i < n; i++) {
		if (ids[i] == w->target) {
			if (keyctl_unlink(w->target, ring) == 0)
				w->unlinked++;
		} else if (is_keyring(ids[i])) {
			walk(w, ids[i], depth + 1);
		}
	}
	free(ids);
}

int destroy_kernel_key(struct session *s, key_serial_t id, const char *what)
{
	struct walk w = { .target = id };

	if (keyctl_revoke(id) < 0) {
		msg_err("cannot revoke the old key %s: %s", what,
			strerror(errno));
		return -1;
	}
	walk(&w, s->priv ? s->priv : s->old, 0);
	walk(&w, s->user, 0);
	msg_verbose("revoked %s, unlinked it from %d keyring(s)", what,
		    w.unlinked);
	return 0;
}
