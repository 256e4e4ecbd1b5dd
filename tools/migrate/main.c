// SPDX-License-Identifier: GPL-2.0
/*
 * trusted-import-migrate: move an existing key under the TPM (or TEE) with
 * the trusted-import key type (or, with --type encrypted, encrypted-import
 * under a trusted master), once, safely against power cuts and re-runs.
 * See docs/trusted-import-migrate.8.
 *
 *   1 import (verified in the kernel)   3 reload from disk, check, link
 *   2 write the blob atomically         4 destroy the old key (if asked)
 *
 * Each step only starts when the one before it is complete on disk or in
 * the kernel, and what a run finds on start says where to go on from:
 * no blob means steps 1-4, a blob means 3-4, and a blob is only ever
 * renamed into place whole.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "args.h"
#include "blobfile.h"
#include "check.h"
#include "destroy.h"
#include "import.h"
#include "keysrc.h"
#include "plan.h"
#include "secbuf.h"
#include "session.h"

/* A name for the old key in messages. */
static void old_name(const struct cfg *cfg, char *out, size_t cap)
{
	switch (cfg->src) {
	case SRC_FILE:
		snprintf(out, cap, "at %s", cfg->key_file);
		break;
	case SRC_STDIN:
		snprintf(out, cap, "on standard input");
		break;
	case SRC_FD:
		snprintf(out, cap, "on file descriptor %d", cfg->key_fd);
		break;
	default:
		snprintf(out, cap, "%s:%s in the session or user keyring",
			 cfg->from_type, cfg->from_desc);
	}
}

/*
 * The dm-crypt check of step 3: the new key, reloaded as new_desc, against
 * the old key (which exists). 0 when it passes.
 */
static int run_dmcrypt_check(const struct cfg *cfg, struct session *s,
			     const struct oldkey *ok, const char *new_desc)
{
	char old_ref[1200], new_ref[300], desc[64];
	key_serial_t tmp = 0;
	long len;
	int r;

	if (cfg->src == SRC_KEY) {
		len = keysrc_kernel_len(cfg, ok->serial);
		if (len < 0) {
			msg_err("check failed: cannot tell the length of %s:%s: %s",
				cfg->from_type, cfg->from_desc,
				strerror((int)-len));
			return -1;
		}
		snprintf(old_ref, sizeof(old_ref), ":%ld:%s:%s", len,
			 cfg->from_type, cfg->from_desc);
	} else {
		/* dm-crypt finds it in the session dmsetup inherits */
		len = (long)ok->len;
		snprintf(desc, sizeof(desc), "ti-migrate:%ld",
			 (long)getpid());
		tmp = add_key("logon", desc, ok->bytes, ok->len,
			      s->priv);
		if (tmp < 0) {
			msg_err("check failed: cannot add the temporary logon key: %s",
				strerror(errno));
			return -1;
		}
		snprintf(old_ref, sizeof(old_ref), ":%ld:logon:%s",
			 len, desc);
	}
	snprintf(new_ref, sizeof(new_ref), ":%ld:%s:%s", len,
		 new_type(cfg), new_desc);
	r = check_dmcrypt(cfg, old_ref, new_ref);
	session_drop(s, tmp);
	if (r)
		return -1;
	msg_verbose("check passed: %s decrypts the same with both keys",
		    cfg->check_dev);
	return 0;
}

/*
 * The checks of step 3 for the reloaded key id (NAME), against the old key
 * (which exists), but the dm-crypt check when it is done already. 0 when
 * all pass.
 */
static int run_checks(const struct cfg *cfg, struct session *s,
		      const struct oldkey *ok, key_serial_t id, int dm_done)
{
	if (cfg->check_dev && !dm_done &&
	    run_dmcrypt_check(cfg, s, ok, cfg->name))
		return -1;
	if (cfg->check_cmd) {
		if (check_cmd(cfg, id))
			return -1;
		msg_verbose("check passed: --check-cmd exited 0");
	}
	return 0;
}

/* The blob does not load (errno e): say so, and name a master not there. */
static void say_no_load(const struct cfg *cfg, int e)
{
	if (cfg->encrypted && key_gone(e))
		msg_err("the blob at %s does not load: %s (see dmesg; is the master %s loaded?)",
			cfg->blob, strerror(e), cfg->master);
	else
		msg_err("the blob at %s does not load: %s (see dmesg)",
			cfg->blob, strerror(e));
}

/*
 * Step 3: load the blob from disk with the stock type, check it against
 * the old key if that still exists, and link it into --keyring. 0, or
 * EX_CHECK (printed).
 */
static int reload_and_check(const struct cfg *cfg, struct blobfile *b,
			    struct session *s, const struct oldkey *ok)
{
	char *hex = NULL, tmp_desc[64];
	int r, dm_done = 0;
	size_t len;
	long id;

	r = blob_read(cfg, b, &hex, &len);
	if (r == -EBADMSG) {
		if (cfg->encrypted)
			msg_err("the blob at %s is damaged: not an encrypted key blob of format %s under %s",
				cfg->blob, ti_enc_format_name[cfg->format],
				cfg->master);
		else
			msg_err("the blob at %s is damaged: not a hex blob",
				cfg->blob);
		return EX_CHECK;
	}
	if (r) {
		msg_err("cannot read the blob at %s: %s", cfg->blob,
			strerror(-r));
		return EX_CHECK;
	}
	/*
	 * An old encrypted key of the same name would hide behind the new
	 * one from dm-crypt: check a copy under another name first.
	 */
	if (ok->present && cfg->check_dev && keysrc_same_name(cfg)) {
		snprintf(tmp_desc, sizeof(tmp_desc), "ti-migrate-new:%ld",
			 (long)getpid());
		id = import_reload(cfg, s, tmp_desc, hex, len);
		r = id < 0 ? -1 : run_dmcrypt_check(cfg, s, ok, tmp_desc);
		session_drop(s, (key_serial_t)id);
		if (r) {
			free(hex);
			if (id < 0)
				say_no_load(cfg, (int)-id);
			return EX_CHECK;
		}
		dm_done = 1;
	}
	id = import_reload(cfg, s, cfg->name, hex, len);
	free(hex);
	if (id < 0) {
		say_no_load(cfg, (int)-id);
		return EX_CHECK;
	}
	if (ok->present &&
	    run_checks(cfg, s, ok, (key_serial_t)id, dm_done)) {
		session_drop(s, (key_serial_t)id);
		return EX_CHECK;
	}
	if (ok->present && cfg->destroy_old && keysrc_same_name(cfg) &&
	    session_hold(s, ok->serial) < 0)
		msg_verbose("cannot hold on to the old key %s:%s: %s",
			    cfg->from_type, cfg->from_desc, strerror(errno));
	/* replaces an older key of the same type and name there */
	if (keyctl_link((key_serial_t)id, s->dest) < 0) {
		msg_err("cannot link %s key %s into %s: %s", new_type(cfg),
			cfg->name, cfg->keyring, strerror(errno));
		session_drop(s, (key_serial_t)id);
		return EX_CHECK;
	}
	keyctl_unlink((key_serial_t)id, s->priv);
	msg_verbose("%s key %s (serial %ld) is in %s", new_type(cfg),
		    cfg->name, id, cfg->keyring);
	return 0;
}

/* Step 4. 0, or EX_DESTROY (printed). */
static int destroy_old(const struct cfg *cfg, struct session *s,
		       const struct oldkey *ok)
{
	char what[1100];

	/* FILE.ti-shred: an earlier run had decided to destroy it */
	if (ok->shred_pending && destroy_finish(ok->shred_path))
		return EX_DESTROY;
	if (!cfg->destroy_old || !ok->present)
		return 0;
	if (cfg->src == SRC_FILE) {
		if (destroy_file(cfg->key_file, ok->shred_path))
			return EX_DESTROY;
		msg_verbose("shredded %s", cfg->key_file);
	} else if (cfg->src == SRC_KEY) {
		snprintf(what, sizeof(what), "%s:%s", cfg->from_type,
			 cfg->from_desc);
		if (destroy_kernel_key(s, ok->serial, what))
			return EX_DESTROY;
	}
	return 0;
}

static int fresh(const struct cfg *cfg, struct blobfile *b,
		 struct session *s, const struct oldkey *ok)
{
	char *hex = NULL;
	size_t len;
	int r;

	msg_step(1);
	/*
	 * import-key finds its source like request_key_rcu(): in the
	 * session keyring itself, not in keyrings nested in it. Put the
	 * source there for the import.
	 */
	if (cfg->src == SRC_KEY && keyctl_link(ok->serial, s->priv) < 0)
		msg_verbose("cannot link %s:%s into the private session keyring: %s",
			    cfg->from_type, cfg->from_desc, strerror(errno));
	r = import_key(cfg, s, ok, &hex, &len);
	if (cfg->src == SRC_KEY)
		keyctl_unlink(ok->serial, s->priv);
	if (r)
		return r;

	msg_step(2);
	r = blob_write(b, hex, len);
	free(hex);
	if (r) {
		msg_err("cannot write the blob to %s: %s; the old key is untouched",
			cfg->blob, strerror(-r));
		return EX_BLOB;
	}

	msg_step(3);
	r = reload_and_check(cfg, b, s, ok);
	if (r) {
		/* a blob that failed its check must not pass for a migration */
		int e = blob_remove(b);

		if (e)
			msg_err("the old key is untouched; cannot remove the failed blob %s (%s): remove it before a re-run",
				cfg->blob, strerror(-e));
		else
			msg_err("the old key is untouched; the blob this run wrote is removed again");
		return r;
	}

	if (cfg->destroy_old || ok->shred_pending) {
		msg_step(4);
		r = destroy_old(cfg, s, ok);
		if (r) {
			msg_err("the migration is complete, but the old key is still there: destroy it, or re-run with --destroy-old");
			return r;
		}
	}
	msg_done();
	return EX_DONE;
}

static int rerun(const struct cfg *cfg, struct blobfile *b,
		 struct session *s, const struct oldkey *ok)
{
	int r;

	msg_step(3);
	r = reload_and_check(cfg, b, s, ok);
	if (r) {
		msg_err("nothing was changed%s", ok->present ?
			"; the old key is untouched" : "");
		return r;
	}
	if ((cfg->destroy_old && ok->present) || ok->shred_pending) {
		msg_step(4);
		r = destroy_old(cfg, s, ok);
		if (r) {
			msg_err("the migration is complete, but the old key is still there: destroy it, or re-run with --destroy-old");
			return r;
		}
	}
	msg_info("already migrated");
	return EX_DONE;
}

static int migrate(const struct cfg *cfg)
{
	struct plan_state ps = { 0 };
	struct oldkey ok = { 0 };
	struct blobfile b;
	struct session s;
	char what[1200];
	int r;

	r = blob_open(&b, cfg->blob, cfg->dry_run);
	if (r) {
		msg_err("cannot open the directory of %s: %s", cfg->blob,
			strerror(-r));
		r = EX_BLOB;
		goto out;
	}
	r = session_resolve(cfg, &s);
	if (r)
		goto out;
	ps.stale_tmp = blob_clean_stale(&b, cfg->dry_run);
	ps.stale_maps = check_clean_stale(cfg->dry_run);

	r = keysrc_load(cfg, s.old, &ok);
	if (r)
		goto out;
	ps.blob_present = blob_exists(&b);
	if (ps.blob_present < 0) {
		msg_err("cannot look at %s: %s", cfg->blob,
			strerror(-ps.blob_present));
		r = EX_BLOB;
		goto out;
	}
	/*
	 * An encrypted key migrated to its own name: with a blob, the key
	 * found may be the one a run made. Without a blob no run linked one.
	 */
	if (ps.blob_present > 0 && ok.present && keysrc_same_name(cfg) &&
	    keysrc_maybe_new(cfg, ok.serial)) {
		msg_verbose("%s:%s is under %s or cannot be read: taken for the migrated key",
			    cfg->from_type, cfg->from_desc, cfg->master);
		ok.present = 0;
	}
	if (cfg->dry_run) {
		r = plan_print(cfg, &b, &ok, &ps);
		goto out;
	}
	if (!ps.blob_present && !ok.present) {
		old_name(cfg, what, sizeof(what));
		msg_err("nothing to migrate: no key %s and no blob at %s%s",
			what, cfg->blob, ok.shred_pending ?
			" (a .ti-shred file is left from an earlier run, whose blob is gone)" :
			"; check --blob and the key source");
		r = EX_NOKEY;
		goto out;
	}
	r = session_private(&s);
	if (r) {
		msg_err("cannot make a private session keyring: %s",
			strerror(-r));
		r = EX_IMPORT;
		goto out;
	}
	r = ps.blob_present ? rerun(cfg, &b, &s, &ok) :
			      fresh(cfg, &b, &s, &ok);
out:
	keysrc_wipe(&ok);
	free(ok.shred_path);
	blob_close(&b);
	return r;
}

static void on_signal(int sig)
{
	sec_wipe_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

int main(int argc, char **argv)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct cfg cfg;
	size_t i;
	int r;

	r = args_parse(argc, argv, &cfg);
	if (r >= 0)
		return r;
	msg_init(&cfg);
	/* no core dumps, no ptrace by other processes of the same user */
	prctl(PR_SET_DUMPABLE, 0);
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		signal(sigs[i], on_signal);
	r = sec_init();
	if (r) {
		msg_err("cannot lock memory for the key: %s", strerror(-r));
		return EX_NOKEY;
	}
	r = migrate(&cfg);
	sec_destroy();
	return r;
}
