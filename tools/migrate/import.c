// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel calls: the import through trusted-import, and the reload
 * through the stock trusted type. Payloads are built in locked memory and
 * wiped: an import payload carries the key's hex, and any payload may
 * carry keyauth= or blobauth=.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ti_request.h"
#include "hex.h"
#include "import.h"
#include "secbuf.h"

static void refused(int e)
{
	if (e == ENODEV)
		msg_err("import refused: %s (see dmesg; is the trusted_import module loaded, and a TPM or TEE present?)",
			strerror(e));
	else
		msg_err("import refused: %s (see dmesg)", strerror(e));
}

int import_key(const struct cfg *cfg, struct session *s,
	       const struct oldkey *ok, char **blob, size_t *blob_len)
{
	size_t cap = sizeof("import-key ") + 2 * TI_MAX_KEY_LEN +
		     sizeof(cfg->from_type) + strlen(cfg->from_desc ?: "") +
		     1 + sizeof(cfg->opts);
	char *payload = sec_alloc(cap);
	size_t n;
	long id, len;
	char *buf;
	int e;

	if (!payload) {
		msg_err("out of locked memory");
		return EX_IMPORT;
	}
	if (cfg->src == SRC_KEY) {
		n = snprintf(payload, cap, "import-key %s:%s", cfg->from_type,
			     cfg->from_desc);
	} else {
		memcpy(payload, "import ", 7);
		hex_encode(payload + 7, ok->bytes, ok->len);
		n = 7 + 2 * ok->len;
	}
	if (cfg->opts[0])
		n += snprintf(payload + n, cap - n, " %s", cfg->opts);

	id = add_key("trusted-import", cfg->name, payload, n, s->priv);
	e = errno;
	sec_wipe(payload, cap);
	if (id < 0) {
		refused(e);
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
	if (len <= 0 || len > BLOB_HEX_MAX || !hex_only(buf, len)) {
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

long import_reload(const struct cfg *cfg, struct session *s,
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
	id = add_key("trusted", cfg->name, payload, n, s->priv);
	e = errno;
	sec_wipe(payload, cap);
	return id < 0 ? -e : id;
}
