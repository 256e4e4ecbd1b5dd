/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw TPM commands to /dev/tpm0 for the guest test tools (ti_policy.c,
 * ti_tpm12.c): building a command, sending it, reading the response, and
 * the hex and PCR arguments. Each tool defines TOOL, its name for
 * messages, before including this.
 */
#ifndef TI_TPM_RAW_H
#define TI_TPM_RAW_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct buf {
	uint8_t d[4096];
	size_t n;
};

static inline void die(const char *msg)
{
	fprintf(stderr, "%s: %s\n", TOOL, msg);
	exit(1);
}

static inline void put8(struct buf *b, uint8_t v)
{
	if (b->n >= sizeof(b->d))
		die("command too long");
	b->d[b->n++] = v;
}

static inline void put16(struct buf *b, uint16_t v)
{
	put8(b, v >> 8);
	put8(b, v & 0xff);
}

static inline void put32(struct buf *b, uint32_t v)
{
	put16(b, v >> 16);
	put16(b, v & 0xffff);
}

static inline void putbytes(struct buf *b, const uint8_t *p, size_t n)
{
	while (n--)
		put8(b, *p++);
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void begin(struct buf *b, uint16_t tag, uint32_t cc)
{
	b->n = 0;
	put16(b, tag);
	put32(b, 0);	/* size, set by transmit() */
	put32(b, cc);
}

/*
 * Send the command in b; on return b holds the response, rc checked. TPM
 * 1.2 and 2.0 share the header: tag (2), size (4), then the ordinal or
 * command code, which is the return code in a response (4).
 */
static inline void transmit(struct buf *b, const char *what)
{
	char msg[128];
	ssize_t r;
	int fd;

	b->d[2] = b->n >> 24;
	b->d[3] = b->n >> 16;
	b->d[4] = b->n >> 8;
	b->d[5] = b->n;
	fd = open("/dev/tpm0", O_RDWR);
	if (fd < 0) {
		snprintf(msg, sizeof(msg), "open /dev/tpm0: %s", strerror(errno));
		die(msg);
	}
	if (write(fd, b->d, b->n) != (ssize_t)b->n) {
		snprintf(msg, sizeof(msg), "%s: write: %s", what, strerror(errno));
		die(msg);
	}
	r = read(fd, b->d, sizeof(b->d));
	close(fd);
	if (r < 10) {
		snprintf(msg, sizeof(msg), "%s: short response", what);
		die(msg);
	}
	b->n = r;
	if (get32(b->d + 6)) {
		snprintf(msg, sizeof(msg), "%s: TPM rc 0x%x", what, get32(b->d + 6));
		die(msg);
	}
}

static inline int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* n bytes from 2n hex digits, or die */
static inline void unhex(const char *s, uint8_t *out, size_t n)
{
	size_t i;

	if (strlen(s) != 2 * n)
		die("wrong digest length");
	for (i = 0; i < n; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			die("digest is not hex");
		out[i] = hi << 4 | lo;
	}
}

static inline void printhex(const uint8_t *p, size_t n)
{
	while (n--)
		printf("%02x", *p++);
}

static inline unsigned int pcr_arg(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v > 23)
		die("PCR must be 0 to 23");
	return v;
}

#endif /* TI_TPM_RAW_H */
