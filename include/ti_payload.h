/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The old name of ti_request.h: tools/migrate still includes it (and
 * tools/Makefile lists it). Remove once they name ti_request.h.
 */
#include "ti_request.h"
