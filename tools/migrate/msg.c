// SPDX-License-Identifier: GPL-2.0
/*
 * Messages. Every line starts with "trusted-import-migrate: " and goes to
 * stderr in one write(2), so that a test watching the console for the step
 * markers sees whole lines, in order. No message ever holds key material.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "migrate.h"

static int quiet, verb;

void msg_init(const struct cfg *cfg)
{
	quiet = cfg->quiet;
	verb = cfg->verbose;
}

static void vline(const char *fmt, va_list ap)
{
	char line[1024];
	size_t n, plen = strlen(PROG ": ");
	int r;

	memcpy(line, PROG ": ", plen);
	r = vsnprintf(line + plen, sizeof(line) - plen - 1, fmt, ap);
	if (r < 0)
		return;
	n = strlen(line);
	line[n++] = '\n';
	while (n) {
		ssize_t w = write(STDERR_FILENO, line, n);

		if (w <= 0)
			return;
		n -= w;
		memmove(line, line + w, n);
	}
}

void msg_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(fmt, ap);
	va_end(ap);
}

void msg_info(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vline(fmt, ap);
	va_end(ap);
}

void msg_verbose(const char *fmt, ...)
{
	va_list ap;

	if (!verb)
		return;
	va_start(ap, fmt);
	vline(fmt, ap);
	va_end(ap);
}

static const char *const step_marker[] = {
#define TI_STEP(n, marker) [n] = marker,
#include "steps.def"
#undef TI_STEP
};

/* the last line of steps.def: the line that ends a migration */
#define STEP_DONE ((int)ARRAY_SIZE(step_marker) - 1)

/* Steps 1 to 4, with --verbose: "trusted-import-migrate: step 1: import". */
void msg_step(int n)
{
	if (n > 0 && n < STEP_DONE && step_marker[n])
		msg_verbose("%s", step_marker[n]);
}

/* "trusted-import-migrate: done", the marker whole, unless --quiet. */
void msg_done(void)
{
	const char *m = step_marker[STEP_DONE];
	size_t plen = strlen(PROG ": ");

	/* the marker holds the program's name, which vline() adds again */
	if (!strncmp(m, PROG ": ", plen))
		m += plen;
	msg_info("%s", m);
}
