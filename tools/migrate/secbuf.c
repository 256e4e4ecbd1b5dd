// SPDX-License-Identifier: GPL-2.0
/*
 * The locked arena. Allocation only moves forward; the tool needs a few
 * kilobytes in all (a key of at most 128 bytes, its hex, one payload, one
 * blob, two sectors of the dm-crypt check).
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "secbuf.h"

#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#endif

/* Small enough for the 64 KiB RLIMIT_MEMLOCK of older kernels. */
#define ARENA_SIZE	(48 * 1024)

static unsigned char *arena;
static size_t used;

int sec_init(void)
{
	void *p;

	p = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	if (mlock(p, ARENA_SIZE)) {
		int e = errno;

		munmap(p, ARENA_SIZE);
		return -e;
	}
	/* Both are hardening only: old kernels lack them, and that is fine. */
	(void)madvise(p, ARENA_SIZE, MADV_DONTDUMP);
	(void)madvise(p, ARENA_SIZE, MADV_WIPEONFORK);
	arena = p;
	used = 0;
	return 0;
}

void *sec_alloc(size_t size)
{
	void *p;

	size = (size + 15) & ~(size_t)15;
	if (!arena || size > ARENA_SIZE - used)
		return NULL;
	p = arena + used;
	used += size;
	return p;
}

void sec_wipe(void *p, size_t size)
{
	if (p)
		explicit_bzero(p, size);
}

void sec_wipe_all(void)
{
	if (arena)
		explicit_bzero(arena, ARENA_SIZE);
}

void sec_destroy(void)
{
	if (!arena)
		return;
	explicit_bzero(arena, ARENA_SIZE);
	munlock(arena, ARENA_SIZE);
	munmap(arena, ARENA_SIZE);
	arena = NULL;
	used = 0;
}
