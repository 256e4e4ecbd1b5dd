// SPDX-License-Identifier: GPL-2.0
/*
 * Hex for key bytes. Encoding and decoding use arithmetic, not table
 * look-ups or branches on the digit values, so that timing does not
 * depend on the key.
 */
#include "hex.h"

static char nibble(unsigned int v)
{
	/* '0' + v for v < 10, 'a' + v - 10 otherwise, without a branch */
	unsigned int gt9 = (9 - v) >> 8 & 1;

	return (char)('0' + v + gt9 * ('a' - '0' - 10));
}

void hex_encode(char *out, const unsigned char *in, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = nibble(in[i] >> 4);
		out[2 * i + 1] = nibble(in[i] & 15);
	}
	out[2 * len] = '\0';
}

/* 0..15 for a hex digit, -1 otherwise; no branch on c's value. */
static int digit(unsigned char c)
{
	int v = -1;
	int d = c - '0', l = (c | 0x20) - 'a';
	int isd = ((d >= 0) & (d <= 9));
	int isl = ((l >= 0) & (l <= 5));

	v += isd * (d + 1);
	v += isl * (l + 11);
	return v;
}

int hex_decode(unsigned char *out, const char *in, size_t len)
{
	size_t i;
	int bad = 0;

	if (len % 2)
		return -1;
	for (i = 0; i < len; i += 2) {
		int hi = digit((unsigned char)in[i]);
		int lo = digit((unsigned char)in[i + 1]);

		bad |= (hi | lo) < 0;
		out[i / 2] = (unsigned char)(((unsigned int)hi << 4) |
					     ((unsigned int)lo & 15));
	}
	return bad ? -1 : 0;
}

int hex_only(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (digit((unsigned char)s[i]) < 0)
			return 0;
	return 1;
}
