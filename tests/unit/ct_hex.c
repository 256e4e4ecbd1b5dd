// SPDX-License-Identifier: GPL-2.0
/*
 * Constant-time check of the key decoder, ti_hex_decode() (src/request.c),
 * in the way of ctgrind: the secret digits are marked undefined for
 * valgrind's memcheck, which then reports every conditional jump and every
 * memory index that depends on them. A run with no memcheck error is the
 * pass; tests/unit/run.sh runs it under valgrind --error-exitcode. The
 * bytes decoded are checked too, so a decoder that skips work fails.
 *
 *   cc -O2 -g -Iinclude tests/unit/ct_hex.c src/request.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/memcheck.h>

#include "ti_request.h"

#define N TI_MAX_KEY_LEN

static int decode(const char *hex, unsigned char *out)
{
	char secret[2 * N];
	int bad;

	memcpy(secret, hex, sizeof(secret));
	VALGRIND_MAKE_MEM_UNDEFINED(secret, sizeof(secret));
	bad = ti_hex_decode(out, secret, N);
	/* what the caller may branch on: validity, and then the bytes */
	VALGRIND_MAKE_MEM_DEFINED(&bad, sizeof(bad));
	VALGRIND_MAKE_MEM_DEFINED(out, N);
	return bad;
}

int main(void)
{
	static const char digits[] = "0123456789abcdefABCDEF";
	unsigned char want[N], got[N];
	char hex[2 * N + 1];
	int failed = 0, i;

	/* every digit, both cases, in both halves of a byte */
	for (i = 0; i < N; i++) {
		hex[2 * i] = digits[i % 22];
		hex[2 * i + 1] = digits[(i * 7 + 3) % 22];
	}
	for (i = 0; i < N; i++) {
		char two[3] = { hex[2 * i], hex[2 * i + 1], 0 };

		want[i] = (unsigned char)strtoul(two, NULL, 16);
	}
	if (decode(hex, got) < 0 || memcmp(got, want, N)) {
		puts("not ok 1 - a valid key decodes to its bytes");
		failed = 1;
	} else {
		puts("ok 1 - a valid key decodes to its bytes");
	}
	hex[2 * N - 1] = 'g';
	if (decode(hex, got) >= 0) {
		puts("not ok 2 - a non-hex last digit is reported");
		failed = 1;
	} else {
		puts("ok 2 - a non-hex last digit is reported");
	}
	puts("1..2");
	return failed;
}
