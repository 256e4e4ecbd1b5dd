// SPDX-License-Identifier: GPL-2.0
/*
 * The check of step 3. The dm-crypt check runs dmsetup (argv, no shell)
 * with tables that name keys only as :LEN:TYPE:DESC: dm-crypt looks them
 * up itself, in the session keyring dmsetup inherited from us. It maps the
 * volume read-only, once with the old key and once with the reloaded
 * trusted key, and compares what the first sectors decrypt to. No device
 * node is left: the guest has no udev, so the node is made with
 * `dmsetup mknodes`, and `dmsetup remove` takes it away again.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "check.h"
#include "run.h"
#include "secbuf.h"

#define MAP_PREFIX	"ti-migrate-"
/* What the check compares: the first 8 sectors, or fewer if smaller. */
#define CHECK_SECTORS	8ULL

/* Read /sys/block/NAME/dm/name into out; 0, or -1. */
static int dm_name(const char *blk, char *out, size_t cap)
{
	char path[300];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/block/%s/dm/name", blk);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, out, cap - 1);
	close(fd);
	if (n <= 0)
		return -1;
	while (n && (out[n - 1] == '\n' || out[n - 1] == ' '))
		n--;
	out[n] = '\0';
	return 0;
}

/*
 * Call fn(name, arg) for every dm device whose name starts with prefix (is
 * prefix, when exact); the sum of what fn returns.
 */
static int dm_each(const char *prefix, int exact,
		   int (*fn)(const char *, void *), void *arg)
{
	struct dirent *de;
	char name[160];
	int n = 0;
	DIR *d;

	d = opendir("/sys/block");
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "dm-", 3))
			continue;
		if (dm_name(de->d_name, name, sizeof(name)))
			continue;
		if (exact ? strcmp(name, prefix) :
			    strncmp(name, prefix, strlen(prefix)))
			continue;
		n += fn(name, arg);
	}
	closedir(d);
	return n;
}

/*
 * Without udev, `dmsetup remove` leaves the node that `dmsetup mknodes`
 * made. Called when the mapping is gone: the node (ours, by its name) is
 * unlinked.
 */
static void dm_rm_node(const char *name)
{
	char node[300];

	snprintf(node, sizeof(node), "/dev/mapper/%s", name);
	unlink(node);
}

static int dm_remove(const char *name)
{
	char *argv[] = { "dmsetup", "remove", "--retry", (char *)name, NULL };
	int r = run_argv(argv, 1, NULL);

	if (!r)
		dm_rm_node(name);
	return r;
}

static int count_match(const char *name, void *arg)
{
	(void)name;
	(void)arg;
	return 1;
}

static int dm_exists(const char *name)
{
	return dm_each(name, 1, count_match, NULL) > 0;
}

/* pid of a ti-migrate-{old,new}-PID name, or 0 when it is not one */
static long map_pid(const char *name)
{
	const char *p = name + strlen(MAP_PREFIX);
	char *end;
	long pid;

	if (strncmp(name, MAP_PREFIX, strlen(MAP_PREFIX)) ||
	    (strncmp(p, "old-", 4) && strncmp(p, "new-", 4)))
		return 0;
	pid = strtol(p + 4, &end, 10);
	return *end || pid <= 0 ? 0 : pid;
}

/* Its run is over: the process is gone (or it is ours). */
static int run_over(long pid)
{
	return pid == getpid() || (kill((pid_t)pid, 0) && errno == ESRCH);
}

static int remove_stale(const char *name, void *arg)
{
	int dry = *(int *)arg;
	long pid = map_pid(name);

	if (!pid || !run_over(pid))
		return 0;	/* not ours, or its run is still going */
	if (!dry) {
		msg_verbose("removing the leftover mapping %s", name);
		if (dm_remove(name))
			msg_err("cannot remove the leftover mapping %s", name);
	}
	return 1;
}

int check_clean_stale(int dry)
{
	struct dirent *de;
	int n;
	DIR *d;

	n = dm_each(MAP_PREFIX, 0, remove_stale, &dry);
	/* nodes whose mapping is gone: a run killed after its remove */
	d = opendir("/dev/mapper");
	if (!d)
		return n;
	while ((de = readdir(d))) {
		long pid = map_pid(de->d_name);

		if (!pid || !run_over(pid) || dm_exists(de->d_name))
			continue;
		if (!dry) {
			msg_verbose("removing the leftover node /dev/mapper/%s",
				    de->d_name);
			dm_rm_node(de->d_name);
		}
	}
	closedir(d);
	return n;
}

/*
 * Map the volume read-only as name with keyref and read len bytes of it.
 * 0, or -1 (printed). The mapping is gone afterwards.
 */
static int map_read(const struct cfg *cfg, const char *name,
		    const char *keyref, unsigned long long sectors,
		    dev_t dev, unsigned char *buf, size_t len,
		    const char *which)
{
	char table[1600], node[200];
	char *create[] = { "dmsetup", "create", (char *)name, "--readonly",
			   "--table", table, NULL };
	char *mknodes[] = { "dmsetup", "mknodes", (char *)name, NULL };
	ssize_t n = -1;
	int fd, rc, ret = -1;

	snprintf(table, sizeof(table), "0 %llu crypt %s %s 0 %u:%u %llu",
		 sectors, cfg->cipher, keyref, major(dev), minor(dev),
		 cfg->offset);
	snprintf(node, sizeof(node), "/dev/mapper/%s", name);
	rc = run_argv(create, 1, NULL);
	if (rc) {
		msg_err("check failed: dm-crypt cannot map %s with the %s (dmsetup create exited %d; see dmesg)",
			cfg->check_dev, which, rc);
		goto out;
	}
	rc = run_argv(mknodes, 1, NULL);
	fd = open(node, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		msg_err("check failed: cannot open %s: %s", node,
			strerror(errno));
		goto out;
	}
	n = pread(fd, buf, len, 0);
	close(fd);
	if (n != (ssize_t)len) {
		msg_err("check failed: cannot read %s: %s", node,
			n < 0 ? strerror(errno) : "short read");
		goto out;
	}
	ret = 0;
out:
	if (!dm_exists(name))
		dm_rm_node(name);
	else if (dm_remove(name))
		msg_err("cannot remove the mapping %s", name);
	return ret;
}

int check_dmcrypt(const struct cfg *cfg, const char *old_ref,
		  const char *new_ref)
{
	char old_name[64], new_name[64];
	unsigned long long size, sectors;
	unsigned char *a, *b;
	struct stat st;
	size_t len;
	int fd, r;

	fd = open(cfg->check_dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		msg_err("check failed: %s: %s", cfg->check_dev,
			strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISBLK(st.st_mode) ||
	    ioctl(fd, BLKGETSIZE64, &size)) {
		msg_err("check failed: %s is not a block device",
			cfg->check_dev);
		close(fd);
		return -1;
	}
	close(fd);
	if (size / 512 <= cfg->offset) {
		msg_err("check failed: %s has no sector past --offset %llu",
			cfg->check_dev, cfg->offset);
		return -1;
	}
	sectors = size / 512 - cfg->offset;
	if (sectors > CHECK_SECTORS)
		sectors = CHECK_SECTORS;
	len = sectors * 512;
	a = sec_alloc(len);
	b = sec_alloc(len);
	if (!a || !b) {
		msg_err("out of locked memory");
		return -1;
	}
	snprintf(old_name, sizeof(old_name), MAP_PREFIX "old-%ld",
		 (long)getpid());
	snprintf(new_name, sizeof(new_name), MAP_PREFIX "new-%ld",
		 (long)getpid());
	r = map_read(cfg, old_name, old_ref, sectors, st.st_rdev, a, len,
		     "old key");
	if (!r)
		r = map_read(cfg, new_name, new_ref, sectors, st.st_rdev, b,
			     len, "new trusted key");
	if (!r && memcmp(a, b, len)) {
		msg_err("check failed: %s decrypts differently with the new trusted key than with the old key",
			cfg->check_dev);
		r = -1;
	}
	sec_wipe(a, len);
	sec_wipe(b, len);
	return r;
}

int check_cmd(const struct cfg *cfg, key_serial_t serial)
{
	char *argv[] = { "/bin/sh", "-c", (char *)cfg->check_cmd, NULL };
	char ser[32], name[300];
	char *env[] = { ser, name, NULL };
	int rc;

	snprintf(ser, sizeof(ser), "TI_KEY_SERIAL=%ld", (long)serial);
	snprintf(name, sizeof(name), "TI_KEY_NAME=%s", cfg->name);
	rc = run_argv(argv, 0, env);
	if (rc) {
		msg_err("check failed: --check-cmd exited %d", rc);
		return -1;
	}
	return 0;
}
