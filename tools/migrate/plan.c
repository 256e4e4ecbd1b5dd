// SPDX-License-Identifier: GPL-2.0
/* --dry-run: the state found and the steps a run would take from it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan.h"

void plan_mask_opts(const char *opts, char *out, size_t cap)
{
	static const char *const secret[] = { "keyauth=", "blobauth=" };
	size_t n = 0;
	const char *p = opts;

	out[0] = '\0';
	while (*p && n + 1 < cap) {
		const char *e = strchr(p, ' ');
		size_t len = e ? (size_t)(e - p) : strlen(p), i, show = len;

		for (i = 0; i < 2; i++)
			if (!strncmp(p, secret[i], strlen(secret[i])))
				show = strlen(secret[i]);
		n += snprintf(out + n, cap - n, "%s%.*s%s", n ? " " : "",
			      (int)show, p, show < len ? "***" : "");
		if (n >= cap)
			break;
		p += len;
		while (*p == ' ')
			p++;
	}
}

static void say_source(const struct cfg *cfg, const struct oldkey *ok)
{
	const char *fmt = cfg->hex ? "hex" : "raw";

	switch (cfg->src) {
	case SRC_FILE:
		if (ok->present)
			printf("old key: %s (%zu bytes, %s)\n", cfg->key_file,
			       ok->len, fmt);
		else
			printf("old key: none at %s\n", cfg->key_file);
		if (ok->shred_pending)
			printf("old key: %s.ti-shred is being shredded by an earlier run\n",
			       cfg->key_file);
		break;
	case SRC_STDIN:
	case SRC_FD:
		if (ok->present)
			printf("old key: %zu bytes (%s) read from %s\n",
			       ok->len, fmt, cfg->src == SRC_STDIN ?
			       "standard input" : "a file descriptor");
		else
			printf("old key: none (nothing to read)\n");
		break;
	case SRC_KEY:
		if (ok->present)
			printf("old key: kernel key %s:%s (serial %d)\n",
			       cfg->from_type, cfg->from_desc, ok->serial);
		else
			printf("old key: no kernel key %s:%s in the session or user keyring\n",
			       cfg->from_type, cfg->from_desc);
		break;
	default:
		break;
	}
}

static void say_check(const struct cfg *cfg, const char *ropts, int old)
{
	printf("  step 3: load the blob from disk as %s key %s%s%s%s\n",
	       new_type(cfg), cfg->name, ropts[0] ? " with \"" : "", ropts,
	       ropts[0] ? "\"" : "");
	if (!old)
		printf("          no check (the old key is gone): loading is the proof\n");
	if (old && cfg->check_dev)
		printf("          check: map %s read-only with the old and with the new key (%s, offset %llu); the first sectors must match\n",
		       cfg->check_dev, cfg->cipher, cfg->offset);
	if (old && cfg->check_cmd)
		printf("          check: /bin/sh -c '%s' must exit 0\n",
		       cfg->check_cmd);
	if (old && !cfg->check_dev && !cfg->check_cmd)
		printf("          no check given: loading is the only proof\n");
	printf("          then link it into %s\n", cfg->keyring);
}

static void say_destroy(const struct cfg *cfg, const struct oldkey *ok)
{
	if (ok->shred_pending)
		printf("  step 4: finish shredding %s\n", ok->shred_path);
	if (!cfg->destroy_old || !ok->present) {
		if (!ok->shred_pending)
			printf("  step 4: none%s\n", cfg->destroy_old ?
			       " (no old key left)" :
			       " (no --destroy-old: the old key stays)");
		return;
	}
	if (cfg->src == SRC_FILE)
		printf("  step 4: shred %s (rename to %s, zeros, fsync, unlink)\n",
		       cfg->key_file, ok->shred_path);
	else
		printf("  step 4: revoke and unlink kernel key %s:%s\n",
		       cfg->from_type, cfg->from_desc);
}

int plan_print(const struct cfg *cfg, struct blobfile *b,
	       const struct oldkey *ok, const struct plan_state *ps)
{
	char opts[OPTS_MAX + 64], ropts[OPTS_MAX + 64];
	char *hex = NULL;
	size_t len = 0;
	int bad = 0;

	plan_mask_opts(cfg->opts, opts, sizeof(opts));
	plan_mask_opts(cfg->reload_opts, ropts, sizeof(ropts));
	printf(PROG ": dry run: nothing is changed\n");
	say_source(cfg, ok);
	if (ps->blob_present) {
		bad = blob_read(cfg, b, &hex, &len);
		free(hex);
		if (bad)
			printf("blob: %s exists but is not a%s blob (empty, malformed, or unreadable)\n",
			       cfg->blob, cfg->encrypted ?
			       "n encrypted key's" : " trusted key's");
		else
			printf("blob: %s (%zu %s)\n", cfg->blob, len,
			       cfg->encrypted ? "characters" : "hex digits");
	} else {
		printf("blob: none at %s\n", cfg->blob);
	}
	if (ps->stale_tmp || ps->stale_maps)
		printf("cleanup: remove %d stale temporary file(s) and %d leftover mapping(s)\n",
		       ps->stale_tmp, ps->stale_maps);

	if (!ps->blob_present && !ok->present) {
		printf("result: nothing to migrate (exit 2)\n");
		return EX_NOKEY;
	}
	if (ps->blob_present && bad) {
		printf("result: the blob cannot be loaded; a run would change nothing (exit 5)\n");
		return EX_CHECK;
	}
	printf("plan:\n");
	if (!ps->blob_present) {
		if (cfg->encrypted)
			printf("  step 1: import the old key as encrypted-import key %s of format %s under %s, verified in the kernel\n",
			       cfg->name, ti_enc_format_name[cfg->format],
			       cfg->master);
		else
			printf("  step 1: import the old key as trusted-import key %s%s%s%s, verified in the kernel\n",
			       cfg->name, opts[0] ? " with \"" : "", opts,
			       opts[0] ? "\"" : "");
		printf("  step 2: write the blob to %s (mode 0600, via .%s.tmp.PID, fsync, rename)\n",
		       cfg->blob, b->base);
	}
	say_check(cfg, ropts, ok->present);
	say_destroy(cfg, ok);
	if (ps->blob_present)
		printf("result: already migrated, if the blob loads%s (exit 0; 5 if not)\n",
		       ok->present && (cfg->check_dev || cfg->check_cmd) ?
		       " and the check passes" : "");
	else
		printf("result: migrated (exit 0)\n");
	return EX_DONE;
}
