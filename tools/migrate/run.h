/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TI_RUN_H
#define TI_RUN_H

/*
 * Run argv[0] with argv, no shell: execvp, then /usr/sbin and /sbin for a
 * bare name that PATH does not find (a boot service's PATH may be short).
 * stdin is /dev/null; stdout too when quiet_out. env: NULL or
 * NULL-terminated "NAME=value" strings added to the environment.
 * Returns the exit status, 128 + signal, or -1 when it could not start.
 */
int run_argv(char *const argv[], int quiet_out, char *const env[]);

#endif /* TI_RUN_H */
