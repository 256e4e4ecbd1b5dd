// SPDX-License-Identifier: GPL-2.0
/*
 * The old key. File, stdin and fd keys are read with read(2) straight into
 * locked memory: no stdio buffer ever holds them. A --from-key key is only
 * looked up; its bytes stay in the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ti_request.h"
#include "blobfile.h"
#include "hex.h"
#include "keysrc.h"
#include "secbuf.h"

/* Room for blanks around the digits of a hex key file. */
#define HEX_FILE_SLACK	768

void keysrc_len_range(const struct cfg *cfg, size_t *min, size_t *max)
{
	if (cfg->encrypted) {
		ti_enc_len_range(cfg->format, min, max);
		return;
	}
	*min = TI_MIN_KEY_LEN;
	*max = TI_MAX_KEY_LEN;
}

int keysrc_same_name(const struct cfg *cfg)
{
	return cfg->encrypted && cfg->src == SRC_KEY &&
	       !strcmp(cfg->from_type, "encrypted") &&
	       !strcmp(cfg->from_desc, cfg->name);
}

/* Read up to cap bytes from fd into buf; sets *len. 0, or -errno. */
static int read_all(int fd, unsigned char *buf, size_t cap, size_t *len)
{
	size_t n = 0;

	while (n < cap) {
		ssize_t r = read(fd, buf + n, cap - n);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0)
			break;
		n += r;
	}
	*len = n;
	return 0;
}

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

/*
 * Turn what was read (in buf, len bytes, cap for raw is the longest key + 1
 * so that a long file shows) into the key. Returns 0 or EX_NOKEY.
 */
static int decode(const struct cfg *cfg, const char *what, unsigned char *buf,
		  size_t len, struct oldkey *ok)
{
	size_t s = 0, e = len, min, max;

	keysrc_len_range(cfg, &min, &max);

	if (!cfg->hex) {
		ok->bytes = buf;
		ok->len = len;
	} else {
		while (s < e && is_blank(buf[s]))
			s++;
		while (e > s && is_blank(buf[e - 1]))
			e--;
		if (e - s > 2 * max) {
			ok->len = (e - s) / 2;
		} else {
			ok->bytes = sec_alloc(max);
			if (!ok->bytes) {
				msg_err("out of locked memory");
				return EX_NOKEY;
			}
			if (hex_decode(ok->bytes, (char *)buf + s, e - s)) {
				msg_err("%s: not a hex key (an even number of hex digits)",
					what);
				return EX_NOKEY;
			}
			ok->len = (e - s) / 2;
		}
		sec_wipe(buf, len);
		if (e == s) {
			ok->present = 0;
			return 0;
		}
	}
	if (ok->len == 0) {
		ok->present = 0;
		return 0;
	}
	if (ok->len < min || ok->len > max) {
		if (min == max)
			msg_err("%s: the key is %s%zu bytes; an encrypted key of format %s takes %zu",
				what, ok->len > max ? "over " : "",
				ok->len > max ? max : ok->len,
				ti_enc_format_name[cfg->format], max);
		else
			msg_err("%s: the key is %s%zu bytes; %s key takes %zu to %zu",
				what, ok->len > max ? "over " : "",
				ok->len > max ? max : ok->len,
				cfg->encrypted ? "an encrypted" : "a trusted",
				min, max);
		return EX_NOKEY;
	}
	ok->present = 1;
	return 0;
}

static int load_fd(const struct cfg *cfg, int fd, const char *what,
		   struct oldkey *ok)
{
	size_t min, max, cap, len = 0;
	unsigned char *buf;
	int r;

	keysrc_len_range(cfg, &min, &max);
	cap = cfg->hex ? 2 * max + HEX_FILE_SLACK : max + 1;
	buf = sec_alloc(cap);

	if (!buf) {
		msg_err("out of locked memory");
		return EX_NOKEY;
	}
	r = read_all(fd, buf, cap, &len);
	if (r) {
		msg_err("cannot read the old key from %s: %s", what,
			strerror(-r));
		return EX_NOKEY;
	}
	return decode(cfg, what, buf, len, ok);
}

static int load_file(const struct cfg *cfg, struct oldkey *ok)
{
	const char *path = cfg->key_file;
	struct stat st;
	int fd, r;

	ok->shred_path = malloc(strlen(path) + sizeof(".ti-shred"));
	if (!ok->shred_path) {
		msg_err("out of memory");
		return EX_NOKEY;
	}
	sprintf(ok->shred_path, "%s.ti-shred", path);
	if (!lstat(ok->shred_path, &st) && S_ISREG(st.st_mode))
		ok->shred_pending = 1;

	if (lstat(path, &st)) {
		if (errno == ENOENT) {
			ok->present = 0;
			return 0;
		}
		msg_err("cannot look at the old key %s: %s", path,
			strerror(errno));
		return EX_NOKEY;
	}
	if (S_ISLNK(st.st_mode) && cfg->destroy_old) {
		msg_err("%s is a symbolic link: --destroy-old shreds regular files only; give the file it points to",
			path);
		return EX_NOKEY;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		msg_err("cannot open the old key %s: %s", path,
			strerror(errno));
		return EX_NOKEY;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		msg_err("the old key %s is not a regular file", path);
		close(fd);
		return EX_NOKEY;
	}
	r = load_fd(cfg, fd, path, ok);
	close(fd);
	if (!r && !ok->present) {
		msg_err("the old key file %s is empty", path);
		return EX_NOKEY;
	}
	return r;
}

/*
 * An encrypted key reads as "FORMAT MASTER-DESC DATALEN HEX"
 * (enc_text_split()): DATALEN is the length of its decrypted data, which
 * dm-crypt uses. (/proc/keys gives the size of the whole payload instead.)
 * Its master, into master when not NULL.
 */
static long encrypted_head(key_serial_t serial, char *master, size_t cap)
{
	struct enc_text t;
	void *buf = NULL;
	long r, len;

	r = keyctl_read_alloc(serial, &buf);
	if (r < 0)
		return -errno;
	len = enc_text_split(buf, r, &t) ? -EINVAL : t.datalen;
	if (len > 0 && master) {
		if (t.master_len >= cap)
			len = -EINVAL;
		else
			snprintf(master, cap, "%.*s", (int)t.master_len,
				 t.master);
	}
	free(buf);
	return len;
}

static int load_kernel(const struct cfg *cfg, key_serial_t sess,
		       struct oldkey *ok)
{
	long id;
	int e;

	id = keyctl_search(sess, cfg->from_type, cfg->from_desc, 0);
	if (id < 0 && (errno == ENOKEY || errno == EKEYREVOKED ||
		       errno == EKEYEXPIRED || errno == EACCES))
		id = keyctl_search(KEY_SPEC_USER_KEYRING, cfg->from_type,
				   cfg->from_desc, 0);
	if (id >= 0) {
		ok->serial = (key_serial_t)id;
		ok->present = 1;
		return 0;
	}
	e = errno;
	if (e == ENOKEY || e == EKEYREVOKED || e == EKEYEXPIRED) {
		ok->present = 0;
		return 0;
	}
	msg_err("cannot search for the old key %s:%s: %s", cfg->from_type,
		cfg->from_desc, strerror(e));
	return EX_NOKEY;
}

int keysrc_load(const struct cfg *cfg, key_serial_t sess, struct oldkey *ok)
{
	int r;

	switch (cfg->src) {
	case SRC_FILE:
		return load_file(cfg, ok);
	case SRC_STDIN:
		return load_fd(cfg, STDIN_FILENO, "standard input", ok);
	case SRC_FD: {
		char what[32];

		snprintf(what, sizeof(what), "file descriptor %d", cfg->key_fd);
		r = load_fd(cfg, cfg->key_fd, what, ok);
		close(cfg->key_fd);
		return r;
	}
	case SRC_KEY:
		return load_kernel(cfg, sess, ok);
	default:
		return EX_USAGE;
	}
}

/* Read a whole small file (not secret) into a malloc'ed string. */
static char *slurp(const char *path)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (!buf || fd < 0) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	for (;;) {
		ssize_t r = read(fd, buf + n, cap - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += r;
		if (n == cap) {
			char *nb = realloc(buf, 2 * cap + 1);

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
	}
	close(fd);
	buf[n] = '\0';
	return buf;
}

/* "%08x ... DESC: LEN" in /proc/keys, for user and logon keys. */
static long proc_keys_len(key_serial_t serial)
{
	char *all = slurp("/proc/keys"), *line, *save = NULL, head[16];
	long len = -ENOKEY;

	if (!all)
		return -errno;
	snprintf(head, sizeof(head), "%08x ", (unsigned int)serial);
	for (line = strtok_r(all, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *c, *end;

		if (strncmp(line, head, strlen(head)))
			continue;
		c = strrchr(line, ':');
		if (!c || c[1] != ' ')
			break;
		len = strtol(c + 2, &end, 10);
		if (*end || len <= 0)
			len = -EINVAL;
		break;
	}
	free(all);
	return len;
}

int keysrc_maybe_new(const struct cfg *cfg, key_serial_t serial)
{
	char master[1100];

	/* its read needs its master: one it cannot reach is no proof either way */
	return encrypted_head(serial, master, sizeof(master)) <= 0 ||
	       !strcmp(master, cfg->master);
}

long keysrc_kernel_len(const struct cfg *cfg, key_serial_t serial)
{
	if (!strcmp(cfg->from_type, "encrypted"))
		return encrypted_head(serial, NULL, 0);
	return proc_keys_len(serial);
}

void keysrc_wipe(struct oldkey *ok)
{
	sec_wipe(ok->bytes, ok->len);
	ok->bytes = NULL;
}
