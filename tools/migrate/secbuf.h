/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Locked memory for key bytes, their hex, and the payloads that carry
 * them: one arena, mlock'ed, left out of core dumps and zeroed in a forked
 * child; wiped with explicit_bzero on every exit path.
 */
#ifndef TI_SECBUF_H
#define TI_SECBUF_H

#include <stddef.h>

/* Map and lock the arena. 0, or -errno. */
int sec_init(void);
/* size zeroed bytes from the arena, or NULL when it is full. */
void *sec_alloc(size_t size);
/* Wipe size bytes at p (p may be NULL). */
void sec_wipe(void *p, size_t size);
/* Wipe, unlock and unmap the whole arena. Safe to call twice. */
void sec_destroy(void);
/* Async-signal-safe: wipe the arena, nothing else. */
void sec_wipe_all(void);

#endif /* TI_SECBUF_H */
