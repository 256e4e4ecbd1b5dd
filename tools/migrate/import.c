// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel calls: the import through trusted-import (or
 * encrypted-import), and the reload through the stock trusted (or
 * encrypted) type. Payloads are built in locked memory and wiped: an
 * import payload carries the key's hex, and a trusted payload may carry
 * keyauth= or blobauth=.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ti_request.h"
#include "blobfile.h"
#include "hex.h"
#include "keysrc.h"
#include "import.h"
#include "secbuf.h"

static void refused(const struct cfg *cfg, int e)
{
	if (cfg->encrypted && key_gone(e))
		msg_err("import refused: %s (see dmesg; is the master %s loaded in the session or user keyring?)",
			strerror(e), cfg->master);
	else if (e == ENODEV)
		msg_err("import refused: %s (see dmesg; is the trusted_import module loaded, and a TPM or TEE present?)",
			strerror(e));
	else
		msg_err("import refused: %s (see dmesg)", strerror(e));
}

int import_key(const struct cfg *cfg, struct session *s,
	       const struct oldkey *ok, char **blob, size_t *blob_len)
{
	size_t min, max, cap, n;
	char *payload, *buf;
	long id, len;
	int e;

	keysrc_len_range(cfg, &min, &max);
	cap = sizeof("import-key ") + 2 * max + sizeof(cfg->from_type) +
	      strlen(cfg->from_desc ?: "") + 1 + sizeof(cfg->opts) + 16 +
	      strlen(cfg->master ?: "") + 1;
	payload = sec_alloc(cap);
	if (!payload) {
		msg_err("out of locked memory");
		return EX_IMPORT;
	}
	/* encrypted: "import FORMAT MASTER HEX" or "import-key FORMAT MASTER REF" */
	n = snprintf(payload, cap, "%s", cfg->src == SRC_KEY ? "import-key " :
		     "import ");
	if (cfg->encrypted)
		n += snprintf(payload + n, cap - n, "%s %s ",
			      ti_enc_format_name[cfg->format], cfg->master);
	if (cfg->src == SRC_KEY) {
		n += snprintf(payload + n, cap - n, "%s:%s", cfg->from_type,
			      cfg->from_desc);
	} else {
		hex_encode(payload + n, ok->bytes, ok->len);
		n += 2 * ok->len;
	}
	if (cfg->opts[0])
		n += snprintf(payload + n, cap - n, " %s", cfg->opts);

	id = add_key(import_type(cfg), cfg->name, payload, n, s->priv);
	e = errno;
	sec_wipe(payload, cap);
	if (id < 0) {
		refused(cfg, e);
		return EX_IMPORT;
	}

	buf = malloc(BLOB_HEX_MAX + 1);
	if (!buf) {
		session_drop(s, (key_serial_t)id);
		msg_err("out of memory");
		return EX_IMPORT;
	}
	len = keyctl_read((key_serial_t)id, buf, BLOB_HEX_MAX);
	e = errno;
	session_drop(s, (key_serial_t)id);
	if (len <= 0 || len > BLOB_HEX_MAX || !blob_plausible(cfg, buf, len)) {
		if (len < 0)
			msg_err("cannot read the blob of the imported key: %s",
				strerror(e));
		else
			msg_err("the imported key gave no usable blob (%ld characters)",
				len);
		free(buf);
		return EX_IMPORT;
	}
	buf[len] = '\0';
	*blob = buf;
	*blob_len = len;
	return 0;
}

long import_reload(const struct cfg *cfg, struct session *s, const char *desc,
		   const char *blob, size_t blob_len)
{
	size_t cap = 5 + blob_len + 1 + sizeof(cfg->reload_opts);
	char *payload = sec_alloc(cap);
	long id;
	size_t n;
	int e;

	if (!payload)
		return -ENOMEM;
	memcpy(payload, "load ", 5);
	memcpy(payload + 5, blob, blob_len);
	n = 5 + blob_len;
	if (cfg->reload_opts[0])
		n += snprintf(payload + n, cap - n, " %s", cfg->reload_opts);
	id = add_key(new_type(cfg), desc, payload, n, s->priv);
	e = errno;
	sec_wipe(payload, cap);
	return id < 0 ? -e : id;
}
