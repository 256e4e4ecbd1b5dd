/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TI_ARGS_H
#define TI_ARGS_H

#include "migrate.h"

/*
 * Fill cfg from the command line. Returns -1 to go on, or an exit code:
 * EX_DONE after --help or --version, EX_USAGE after a usage error (the
 * message printed).
 */
int args_parse(int argc, char **argv, struct cfg *cfg);

#endif /* TI_ARGS_H */
