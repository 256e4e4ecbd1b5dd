/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TI_SESSION_H
#define TI_SESSION_H

#include "migrate.h"

struct session {
	key_serial_t old;	/* the caller's session keyring */
	key_serial_t user;	/* the user keyring */
	key_serial_t dest;	/* --keyring, resolved */
	key_serial_t priv;	/* our private session keyring, or 0 */
};

/*
 * Resolve the caller's keyrings and --keyring. 0, or EX_USAGE when
 * --keyring names no keyring.
 */
int session_resolve(const struct cfg *cfg, struct session *s);

/*
 * Join a new, private session keyring that links the caller's session
 * keyring and the user keyring, so that every key the caller could find
 * stays findable, and the children we run (dmsetup, --check-cmd) inherit
 * the keys we add. 0, or -errno.
 */
int session_private(struct session *s);

/*
 * Keep key id possessed, through a keyring of our session: a key that the
 * new key displaces from the caller's keyrings (same type and name) would
 * otherwise be nobody's to revoke (possessor rights are what allow it).
 * 0, or -errno.
 */
int session_hold(struct session *s, key_serial_t id);

/* Revoke a key we made and unlink it from our session keyring. */
void session_drop(struct session *s, key_serial_t id);

#endif /* TI_SESSION_H */
