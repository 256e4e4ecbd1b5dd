// SPDX-License-Identifier: GPL-2.0
/*
 * Keyrings. The tool works in a private session keyring: the keys it adds
 * (the imported key, a temporary logon key for the dm-crypt check, the
 * reloaded key) live there, where dmsetup and --check-cmd, which
 * inherit the session keyring, find them, and where nobody else does. A
 * process keyring would not do: a forked child does not inherit it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

int session_resolve(const struct cfg *cfg, struct session *s)
{
	char *desc = NULL;
	long id;

	memset(s, 0, sizeof(*s));
	/* without a session keyring this installs the user-session one */
	s->old = keyctl_get_keyring_ID(KEY_SPEC_SESSION_KEYRING, 0);
	s->user = keyctl_get_keyring_ID(KEY_SPEC_USER_KEYRING, 1);
	if (s->old < 0 || s->user < 0) {
		msg_err("cannot find the session and user keyrings: %s",
			strerror(errno));
		return EX_IMPORT;
	}
	if (!strcmp(cfg->keyring, "@u")) {
		s->dest = s->user;
		return 0;
	}
	if (!strcmp(cfg->keyring, "@s")) {
		s->dest = s->old;
		return 0;
	}
	if (!strcmp(cfg->keyring, "@us")) {
		s->dest = keyctl_get_keyring_ID(KEY_SPEC_USER_SESSION_KEYRING,
						1);
		if (s->dest < 0) {
			msg_err("cannot find the user session keyring: %s",
				strerror(errno));
			return EX_USAGE;
		}
		return 0;
	}
	id = strtol(cfg->keyring, NULL, 10);
	if (keyctl_describe_alloc((key_serial_t)id, &desc) < 0) {
		msg_err("--keyring %s: %s", cfg->keyring, strerror(errno));
		return EX_USAGE;
	}
	if (strncmp(desc, "keyring;", 8)) {
		msg_err("--keyring %s: not a keyring", cfg->keyring);
		free(desc);
		return EX_USAGE;
	}
	free(desc);
	s->dest = (key_serial_t)id;
	return 0;
}

int session_private(struct session *s)
{
	key_serial_t id = keyctl_join_session_keyring(NULL);

	if (id < 0)
		return -errno;
	s->priv = id;
	/*
	 * Failing to link only hides keys: a --from-key key would then not
	 * be found, which the import reports. Go on.
	 */
	if (keyctl_link(s->old, id) < 0)
		msg_verbose("cannot link the old session keyring: %s",
			    strerror(errno));
	if (s->user != s->old && keyctl_link(s->user, id) < 0)
		msg_verbose("cannot link the user keyring: %s",
			    strerror(errno));
	return 0;
}

int session_hold(struct session *s, key_serial_t id)
{
	key_serial_t kr = add_key("keyring", "ti-migrate-held", NULL, 0,
				  s->priv);

	if (kr < 0 || keyctl_link(id, kr) < 0)
		return -errno;
	return 0;
}

void session_drop(struct session *s, key_serial_t id)
{
	if (id <= 0)
		return;
	keyctl_revoke(id);
	if (s->priv)
		keyctl_unlink(id, s->priv);
}
