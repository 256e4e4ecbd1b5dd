// SPDX-License-Identifier: GPL-2.0
/*
 * ti_bench: the guest side of `make bench` (tests/bench/run.sh, issue 7).
 * A guest test tool, linked statically into the initramfs; raw add_key()
 * and keyctl() syscalls, so that nothing but the kernel sits between the
 * clock reads and the operation.
 *
 *   ti_bench [-o OPTS] count K      K ops of each kind, a TPM marker
 *                                   command before each (for swtpm's log)
 *   ti_bench [-o OPTS] time N W     W warm-up rounds, then N rounds: each
 *                                   kind once, and one raw TPM GetRandom(32)
 *                                   through /dev/tpm0, in a shuffled order
 *   ti_bench [-o OPTS] [-0] scale N...
 *                                   for each N: N imports kept live in one
 *                                   keyring, each paired with a control
 *                                   import unlinked at once; memory
 *                                   snapshots around the largest N
 *   ti_bench [-o OPTS] memkeys TYPE N
 *                                   N live keys of TYPE (trusted: "new 32",
 *                                   trusted-import: "import"), memory
 *                                   before, live and after
 *
 * The kinds: new ("new 32", stock), import ("import <hex> ti.verify=0"),
 * import_verify ("import <hex>", verification on, the default), load
 * (stock "load <blob>" of the latest import's blob), and two reseals that
 * send the same TPM commands: update (keyctl update "update" of a stock
 * key) and update_ti (of a trusted-import key, ti.verify=0), which show
 * what the module adds around the stock seal. Every key is 32 bytes.
 * OPTS are the stock options for every command (TPM 2.0:
 * keyhandle=0x81000001). -0: the scaling imports use ti.verify=0.
 *
 * Output: "BENCH ..." lines on stdout, written after each phase so that
 * console I/O never falls inside a measurement; progress on stderr.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define KEY_SPEC_SESSION_KEYRING	-3
#define KEYCTL_UPDATE			2
#define KEYCTL_CLEAR			7
#define KEYCTL_UNLINK			9
#define KEYCTL_READ			11

/*
 * TPM marker commands: a GetCapability of a command code (TPM 1.2: an
 * ordinal) that does not exist, 0x7469xxxx ("ti"), so that the host can
 * find the operations in swtpm's command log. Both succeed and change
 * nothing.
 */
#define MARK_MAGIC			0x74690000u

enum kind {
	K_NEW, K_IMPORT, K_IMPORT_VERIFY, K_LOAD, K_UPDATE, K_UPDATE_TI, NKIND
};
static const char *const kind_name[NKIND + 1] = {
	"new", "import", "import_verify", "load", "update", "update_ti",
	"tpm_getrandom",
};
#define K_PROBE NKIND			/* the raw GetRandom, time only */
/* the keys that K_UPDATE (stock) and K_UPDATE_TI (ti.verify=0) reseal */
static long upd_id[2];

static const char *opts = "";
static int verify_scale = 1;
static char blob[4096];			/* hex of the latest import's blob */
static unsigned long seq;
static int tpm_major;
static int tpm_fd = -1;

static void die(const char *what)
{
	fprintf(stderr, "ti_bench: %s: %s\n", what, strerror(errno));
	printf("BENCH error what=%s errno=%d\n", what, errno);
	fflush(stdout);
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static long add_key(const char *type, const char *desc, const char *payload,
		    long ring)
{
	return syscall(__NR_add_key, type, desc, payload,
		       payload ? strlen(payload) : 0, ring);
}

static long kctl(int cmd, unsigned long a2, unsigned long a3, unsigned long a4)
{
	return syscall(__NR_keyctl, cmd, a2, a3, a4, 0UL);
}

/* A fixed-seed xorshift: the same orders on every run. */
static uint32_t rnd(void)
{
	static uint32_t x = 0x7469u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

static void shuffle(int *v, int n)
{
	int i, j, tmp;

	for (i = 0; i < n; i++)
		v[i] = i;
	for (i = n - 1; i > 0; i--) {
		j = rnd() % (i + 1);
		tmp = v[i];
		v[i] = v[j];
		v[j] = tmp;
	}
}

static void randhex(char *out, size_t nbytes)
{
	static const char hx[] = "0123456789abcdef";
	unsigned char b[128];
	size_t i;

	if (nbytes > sizeof(b) || getrandom(b, nbytes, 0) != (ssize_t)nbytes)
		die("getrandom");
	for (i = 0; i < nbytes; i++) {
		out[2 * i] = hx[b[i] >> 4];
		out[2 * i + 1] = hx[b[i] & 15];
	}
	out[2 * nbytes] = '\0';
	explicit_bzero(b, sizeof(b));
}

/* Read a whole (proc, sys) file from @fd, from its start. */
static void read_fd(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	buf[0] = '\0';
	if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0)
		return;
	while (len < size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
}

static void read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);

	read_fd(fd, buf, size);
	if (fd >= 0)
		close(fd);
}

/* Best effort: a write that fails changes nothing we measure. */
static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return;
	n = write(fd, s, strlen(s));
	(void)n;
	close(fd);
}

/* ------------------------------------------------------------------ TPM */

static void tpm_open(void)
{
	char buf[16];

	if (tpm_fd >= 0)
		return;
	read_file("/sys/class/tpm/tpm0/tpm_version_major", buf, sizeof(buf));
	tpm_major = atoi(buf);
	tpm_fd = open("/dev/tpm0", O_RDWR);
	if (tpm_fd < 0)
		die("open /dev/tpm0");
}

/* Send a command of @n 32-bit big-endian words after tag and size. */
static void tpm_cmd(uint16_t tag, const uint32_t *w, int n)
{
	unsigned char cmd[64], rsp[4096];
	uint32_t v;
	int i, len = 2 + 4 + 4 * n;

	cmd[0] = tag >> 8;
	cmd[1] = tag;
	for (i = -1; i < n; i++) {
		v = i < 0 ? (uint32_t)len : w[i];
		cmd[6 + 4 * i] = v >> 24;
		cmd[7 + 4 * i] = v >> 16;
		cmd[8 + 4 * i] = v >> 8;
		cmd[9 + 4 * i] = v;
	}
	if (write(tpm_fd, cmd, len) != len)
		die("write /dev/tpm0");
	if (read(tpm_fd, rsp, sizeof(rsp)) < 10)
		die("read /dev/tpm0");
}

static void mark(unsigned int code)
{
	tpm_open();
	if (tpm_major == 2) {
		/* TPM2_GetCapability(TPM_CAP_COMMANDS, cc, 1) */
		uint32_t w[] = { 0x17a, 2, MARK_MAGIC | code, 1 };

		tpm_cmd(0x8001, w, 4);
	} else {
		/* TPM_GetCapability(TPM_CAP_ORD, 4, ordinal) */
		uint32_t w[] = { 0x65, 1, 4, MARK_MAGIC | code };

		tpm_cmd(0x00c1, w, 4);
	}
}

/*
 * The TPM's own price of what "new" adds to a seal: GetRandom of 32 bytes,
 * sent through the same driver from userspace.
 */
static uint64_t probe(void)
{
	uint64_t t0;

	tpm_open();
	t0 = now_ns();
	if (tpm_major == 2) {
		/* TPM2_GetRandom(32): a 16-bit count */
		unsigned char cmd[] = { 0x80, 0x01, 0, 0, 0, 12, 0, 0, 0x01,
					0x7b, 0, 32 };
		unsigned char rsp[128];

		if (write(tpm_fd, cmd, sizeof(cmd)) != sizeof(cmd) ||
		    read(tpm_fd, rsp, sizeof(rsp)) < 10)
			die("GetRandom");
	} else {
		uint32_t w[] = { 0x46, 32 };	/* TPM_GetRandom(32) */

		tpm_cmd(0x00c1, w, 2);
	}
	return now_ns() - t0;
}

/* ------------------------------------------------------------------ keys */

/*
 * One operation of @k into @ring; returns its time in ns. An import's blob
 * becomes the next load's. The key is unlinked afterwards unless @keep.
 */
static uint64_t op(enum kind k, long ring, int keep)
{
	static char payload[8192];
	const char *sp = *opts ? " " : "";
	const char *type = "trusted";
	char desc[64], hex[2 * 32 + 1];
	uint64_t t0, t1;
	long id, n;

	switch (k) {
	case K_UPDATE:
	case K_UPDATE_TI:
		snprintf(payload, sizeof(payload), "update%s%s%s", sp, opts,
			 k == K_UPDATE_TI ? " ti.verify=0" : "");
		t0 = now_ns();
		id = kctl(KEYCTL_UPDATE, upd_id[k - K_UPDATE],
			  (unsigned long)payload, strlen(payload));
		t1 = now_ns();
		explicit_bzero(payload, sizeof(payload));
		if (id < 0)
			die(kind_name[k]);
		return t1 - t0;
	case K_NEW:
		snprintf(payload, sizeof(payload), "new 32%s%s", sp, opts);
		break;
	case K_IMPORT:
	case K_IMPORT_VERIFY:
		type = "trusted-import";
		randhex(hex, 32);
		snprintf(payload, sizeof(payload), "import %s%s%s%s", hex, sp,
			 opts, k == K_IMPORT ? " ti.verify=0" : "");
		explicit_bzero(hex, sizeof(hex));
		break;
	case K_LOAD:
		if (!blob[0]) {
			errno = ENOKEY;
			die("load before any import");
		}
		snprintf(payload, sizeof(payload), "load %s%s%s", blob, sp,
			 opts);
		break;
	default:
		abort();
	}
	snprintf(desc, sizeof(desc), "tb-%s-%lu", kind_name[k], seq++);

	t0 = now_ns();
	id = add_key(type, desc, payload, ring);
	t1 = now_ns();
	explicit_bzero(payload, sizeof(payload));
	if (id < 0)
		die(kind_name[k]);
	if (k == K_IMPORT || k == K_IMPORT_VERIFY) {
		n = kctl(KEYCTL_READ, id, (unsigned long)blob, sizeof(blob) - 1);
		if (n < 0 || n >= (long)sizeof(blob))
			die("keyctl read");
		blob[n] = '\0';
	}
	if (!keep && kctl(KEYCTL_UNLINK, id, ring, 0) < 0)
		die("keyctl unlink");
	return t1 - t0;
}

static long new_ring(const char *name)
{
	long ring = add_key("keyring", name, NULL, KEY_SPEC_SESSION_KEYRING);

	if (ring < 0)
		die("keyring");
	return ring;
}

/* The two keys that the update kinds reseal, one of each type. */
static void upd_keys(long ring)
{
	char payload[512], hex[2 * 32 + 1];
	const char *sp = *opts ? " " : "";

	snprintf(payload, sizeof(payload), "new 32%s%s", sp, opts);
	upd_id[0] = add_key("trusted", "tb-update", payload, ring);
	randhex(hex, 32);
	snprintf(payload, sizeof(payload), "import %s%s%s ti.verify=0", hex,
		 sp, opts);
	upd_id[1] = add_key("trusted-import", "tb-update-ti", payload, ring);
	explicit_bzero(payload, sizeof(payload));
	explicit_bzero(hex, sizeof(hex));
	if (upd_id[0] < 0 || upd_id[1] < 0)
		die("keys to update");
}

/*
 * count K: marker, op, marker, op, ... so that the host can attribute
 * every TPM command in swtpm's log to exactly one operation.
 */
static void do_count(int k_ops)
{
	long ring = new_ring("bench-count");
	int k, i;

	tpm_open();
	/* a blob for the first load and keys to update, not counted */
	op(K_IMPORT, ring, 0);
	upd_keys(ring);
	for (k = 0; k < NKIND; k++) {
		for (i = 0; i < k_ops; i++) {
			mark((unsigned int)(k << 8 | i));
			op((enum kind)k, ring, 0);
		}
	}
	mark(0xffff);
	printf("BENCH count kinds=%d per_kind=%d tpm=%d\n", NKIND, k_ops,
	       tpm_major);
}

/*
 * time N W: each round runs every kind and the probe once, in an
 * order shuffled per round, so that no kind always follows the same other
 * kind (whose key the garbage collector may still be destroying).
 */
static void do_time(int rounds, int warm)
{
	long ring = new_ring("bench-time");
	size_t cells = (size_t)rounds * (NKIND + 1);
	uint64_t *t = calloc(cells, sizeof(*t)), start;
	int *pos = calloc(cells, sizeof(*pos));
	int r, j, k, order[NKIND + 1];

	if (!t || !pos)
		die("calloc");
	op(K_IMPORT, ring, 0);
	upd_keys(ring);
	for (r = 0; r < warm; r++) {
		for (k = 0; k < NKIND; k++)
			op((enum kind)k, ring, 0);
		probe();
	}
	start = now_ns();
	for (r = 0; r < rounds; r++) {
		shuffle(order, NKIND + 1);
		for (j = 0; j <= NKIND; j++) {
			k = order[j];
			t[r * (NKIND + 1) + k] = k == K_PROBE ? probe() :
						 op((enum kind)k, ring, 0);
			pos[r * (NKIND + 1) + k] = j;
		}
		if ((r + 1) % 100 == 0)
			fprintf(stderr, "ti_bench: %d/%d rounds\n", r + 1,
				rounds);
	}
	printf("BENCH time rounds=%d warmup=%d wall_ns=%llu\n", rounds, warm,
	       (unsigned long long)(now_ns() - start));
	for (r = 0; r < rounds; r++)
		for (k = 0; k <= NKIND; k++)
			printf("BENCH t kind=%s r=%d pos=%d ns=%llu\n",
			       kind_name[k], r, pos[r * (NKIND + 1) + k],
			       (unsigned long long)t[r * (NKIND + 1) + k]);
	free(t);
	free(pos);
}

/* ------------------------------------------------------------------ memory */

/*
 * Files opened once, before any baseline: opening a sysfs or proc file
 * allocates, and some of that is freed only after an RCU grace period,
 * which would blur the snapshots.
 */
#define MAX_CACHES 512
static struct cache {
	char name[64];
	int shrink_fd;
	long object_size;
	int reclaimable;
} caches[MAX_CACHES];
static int ncaches;
static int meminfo_fd = -1, slabinfo_fd = -1, keyusers_fd = -1, drop_fd = -1;

static void mem_open(void)
{
	struct dirent *de;
	char path[330], val[32];
	DIR *d;

	if (meminfo_fd >= 0)
		return;
	meminfo_fd = open("/proc/meminfo", O_RDONLY);
	slabinfo_fd = open("/proc/slabinfo", O_RDONLY);
	keyusers_fd = open("/proc/key-users", O_RDONLY);
	drop_fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	d = opendir("/sys/kernel/slab");
	while (d && (de = readdir(d)) && ncaches < MAX_CACHES) {
		struct cache *c = &caches[ncaches];

		if (de->d_name[0] == '.' || strlen(de->d_name) >= sizeof(c->name))
			continue;
		snprintf(c->name, sizeof(c->name), "%s", de->d_name);
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink",
			 de->d_name);
		c->shrink_fd = open(path, O_WRONLY);
		/* the object's own size, without KASAN's metadata */
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/object_size",
			 de->d_name);
		read_file(path, val, sizeof(val));
		c->object_size = val[0] ? atol(val) : -1;
		snprintf(path, sizeof(path),
			 "/sys/kernel/slab/%s/reclaim_account", de->d_name);
		read_file(path, val, sizeof(val));
		c->reclaimable = atoi(val);
		ncaches++;
	}
	if (d)
		closedir(d);
}

static const struct cache *cache_find(const char *name)
{
	int i;

	for (i = 0; i < ncaches; i++)
		if (!strcmp(caches[i].name, name))
			return &caches[i];
	return NULL;
}

static long meminfo_kb(const char *buf, const char *field)
{
	const char *p = strstr(buf, field);

	return p ? strtol(p + strlen(field), NULL, 10) : -1;
}

/* Keys in the kernel, all users: the sum of /proc/key-users' nkeys. */
static long key_count(void)
{
	char buf[8192], *line, *save;
	long total = 0;

	/* "uid: usage nkeys/nikeys qnkeys/maxkeys qnbytes/maxbytes" */
	if (keyusers_fd >= 0)
		read_fd(keyusers_fd, buf, sizeof(buf));
	else
		read_file("/proc/key-users", buf, sizeof(buf));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		long uid, usage, nkeys;

		if (sscanf(line, "%ld: %ld %ld/", &uid, &usage, &nkeys) == 3)
			total += nkeys;
	}
	return total;
}

/*
 * Wait for the garbage collector to finish with what earlier phases
 * unlinked: the key count, once it stops falling.
 */
static long stable_key_count(void)
{
	long prev = -1, cur = key_count();
	int i;

	for (i = 0; i < 120 && cur != prev; i++) {
		usleep(500000);
		prev = cur;
		cur = key_count();
	}
	return cur;
}

/*
 * Wait until the key garbage collector has destroyed the unlinked keys
 * (the key count down to @want), then twice: a pause for RCU callbacks,
 * drop_caches and a shrink of every slab cache. The shrink also empties
 * KASAN's quarantine of that cache and flushes the per-CPU slabs, so that
 * what remains is what is live. Twice, because what the first pass frees
 * after a grace period (kmemleak's own objects) lands in the quarantine
 * again.
 */
static void settle(long want)
{
	ssize_t n;
	int i, c;

	for (i = 0; i < 600 && key_count() > want; i++)
		usleep(100000);
	for (i = 0; i < 2; i++) {
		sleep(2);
		/* best effort: some caches refuse a shrink */
		n = drop_fd >= 0 ? pwrite(drop_fd, "3", 1, 0) : 0;
		for (c = 0; c < ncaches; c++)
			if (caches[c].shrink_fd >= 0)
				n = pwrite(caches[c].shrink_fd, "1", 1, 0);
		(void)n;
	}
	sleep(1);
}

static void snapshot(const char *label)
{
	static char buf[1 << 17];
	char *line, *save;

	read_fd(meminfo_fd, buf, sizeof(buf));
	printf("BENCH mem label=%s slab_kb=%ld sreclaimable_kb=%ld sunreclaim_kb=%ld memfree_kb=%ld keys=%ld\n",
	       label, meminfo_kb(buf, "Slab:"),
	       meminfo_kb(buf, "SReclaimable:"),
	       meminfo_kb(buf, "SUnreclaim:"), meminfo_kb(buf, "MemFree:"),
	       key_count());
	read_fd(slabinfo_fd, buf, sizeof(buf));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const struct cache *c;
		char name[64];
		long active, num, size;

		if (sscanf(line, "%63s %ld %ld %ld", name, &active, &num,
			   &size) != 4)
			continue;
		c = cache_find(name);
		printf("BENCH slab label=%s name=%s active=%ld num=%ld size=%ld objsize=%ld reclaimable=%d\n",
		       label, name, active, num, size,
		       c ? c->object_size : -1L, c ? c->reclaimable : 0);
	}
}

static void kmemleak_check(const char *label)
{
	static char buf[1 << 16];
	const char *p;
	int n = 0;

	write_file("/sys/kernel/debug/kmemleak", "scan");
	sleep(5);
	write_file("/sys/kernel/debug/kmemleak", "scan");
	read_file("/sys/kernel/debug/kmemleak", buf, sizeof(buf));
	for (p = buf; (p = strstr(p, "unreferenced object")); p++)
		n++;
	printf("BENCH kmemleak label=%s leaks=%d\n", label, n);
	if (n)
		fputs(buf, stderr);
}

/*
 * scale N...: for each N, N imports kept live in one keyring. Each is
 * paired, in a random order, with a control import into another keyring
 * that is unlinked at once: what the host's load does to the time shows
 * in both, what N live keys do shows only in the first.
 */
static void do_scale(int argc, char **argv)
{
	long ring = new_ring("bench-scale"), ctl = new_ring("bench-control");
	enum kind k = verify_scale ? K_IMPORT_VERIFY : K_IMPORT;
	int a, i, nmax = 0;
	long keys0;

	for (a = 0; a < argc; a++)
		if (atoi(argv[a]) > nmax)
			nmax = atoi(argv[a]);
	mem_open();
	keys0 = stable_key_count();
	/* warm up: every one-time allocation happens before the baseline */
	for (i = 0; i < 4; i++)
		op(k, ring, 0);
	settle(keys0);
	write_file("/sys/kernel/debug/kmemleak", "clear");
	snapshot("base");
	settle(keys0);
	snapshot("base2");
	fflush(stdout);

	for (a = 0; a < argc; a++) {
		int n = atoi(argv[a]);
		uint64_t *t = calloc(2 * (size_t)n, sizeof(*t)), start, wall;

		if (!t)
			die("calloc");
		start = now_ns();
		for (i = 0; i < n; i++) {
			if (rnd() & 1) {
				t[2 * i] = op(k, ring, 1);
				t[2 * i + 1] = op(k, ctl, 0);
			} else {
				t[2 * i + 1] = op(k, ctl, 0);
				t[2 * i] = op(k, ring, 1);
			}
		}
		wall = now_ns() - start;
		fprintf(stderr, "ti_bench: %d imports kept live\n", n);
		printf("BENCH scale n=%d verify=%d wall_ns=%llu\n", n,
		       verify_scale, (unsigned long long)wall);
		for (i = 0; i < n; i++)
			printf("BENCH s n=%d i=%d ns=%llu control_ns=%llu\n", n, i,
			       (unsigned long long)t[2 * i],
			       (unsigned long long)t[2 * i + 1]);
		free(t);
		if (n == nmax) {
			settle(keys0 + n);
			snapshot("live");
		}
		if (kctl(KEYCTL_CLEAR, ring, 0, 0) < 0)
			die("keyctl clear");
		if (n == nmax) {
			settle(keys0);
			snapshot("after");
			kmemleak_check("after");
		}
		fflush(stdout);
	}
}

/* memkeys TYPE N: memory per live key of TYPE */
static void do_memkeys(const char *type, int n)
{
	long ring = new_ring("bench-mem");
	enum kind k = strcmp(type, "trusted") ? K_IMPORT : K_NEW;
	char label[64];
	long keys0;
	int i;

	mem_open();
	keys0 = stable_key_count();
	for (i = 0; i < 4; i++)
		op(k, ring, 0);
	settle(keys0);
	snprintf(label, sizeof(label), "%s-base", kind_name[k]);
	snapshot(label);
	for (i = 0; i < n; i++)
		op(k, ring, 1);
	settle(keys0 + n);
	snprintf(label, sizeof(label), "%s-live%d", kind_name[k], n);
	snapshot(label);
	if (kctl(KEYCTL_CLEAR, ring, 0, 0) < 0)
		die("keyctl clear");
	settle(keys0);
	snprintf(label, sizeof(label), "%s-after", kind_name[k]);
	snapshot(label);
}

int main(int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "o:0")) != -1) {
		switch (c) {
		case 'o':
			opts = optarg;
			break;
		case '0':
			verify_scale = 0;
			break;
		default:
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	if (argc == 2 && !strcmp(argv[0], "count"))
		do_count(atoi(argv[1]));
	else if (argc == 3 && !strcmp(argv[0], "time"))
		do_time(atoi(argv[1]), atoi(argv[2]));
	else if (argc >= 2 && !strcmp(argv[0], "scale"))
		do_scale(argc - 1, argv + 1);
	else if (argc == 3 && !strcmp(argv[0], "memkeys"))
		do_memkeys(argv[1], atoi(argv[2]));
	else {
		fprintf(stderr, "usage: ti_bench [-o OPTS] [-0] count K | time N W | scale N... | memkeys TYPE N\n");
		return 2;
	}
	fflush(stdout);
	return 0;
}
