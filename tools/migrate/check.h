/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TI_CHECK_H
#define TI_CHECK_H

#include "migrate.h"

/*
 * Remove dm mappings ti-migrate-{old,new}-PID whose process is gone (a run
 * that was killed). Returns how many there were (removed unless dry).
 */
int check_clean_stale(int dry);

/*
 * The dm-crypt check: map cfg->check_dev read-only with old_ref, then with
 * new_ref (each ":LEN:TYPE:DESC"), and compare the first sectors. The
 * mappings are removed on every path. 0 when they match, else -1 (why is
 * printed).
 */
int check_dmcrypt(const struct cfg *cfg, const char *old_ref,
		  const char *new_ref);

/* --check-cmd with TI_KEY_SERIAL and TI_KEY_NAME. 0 when it exits 0. */
int check_cmd(const struct cfg *cfg, key_serial_t serial);

#endif /* TI_CHECK_H */
