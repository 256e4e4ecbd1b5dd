// SPDX-License-Identifier: GPL-2.0
/*
 * ti_tpm12: TPM 1.2 PCRs for the guest tests (t-tpm12.sh), in raw commands
 * to /dev/tpm0. A guest test tool, linked statically into the initramfs.
 *
 *   ti_tpm12 pcrread PCR           PCR's value, 40 hex digits (TPM_PCRRead)
 *   ti_tpm12 extend PCR DIGEST     TPM_Extend of PCR by DIGEST (40 hex
 *                                  digits); prints the new value
 *
 * The TPM_PCR_INFO that pcrinfo= takes is built from these values by the
 * test itself (sha1sum), so that the structure is spelled out where it is
 * used.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TAG_RQU_COMMAND		0x00c1
#define ORD_EXTEND		0x00000014
#define ORD_PCRREAD		0x00000015

static void die(const char *msg)
{
	fprintf(stderr, "ti_tpm12: %s\n", msg);
	exit(1);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One command: header, PCR index, optional 20-byte digest; prints outDigest. */
static void run(uint32_t ordinal, uint32_t pcr, const char *hex)
{
	uint8_t b[64];
	size_t n = 14;
	char msg[128];
	ssize_t r;
	int fd, i;

	b[0] = TAG_RQU_COMMAND >> 8;
	b[1] = TAG_RQU_COMMAND & 0xff;
	put32(b + 6, ordinal);
	put32(b + 10, pcr);
	if (hex) {
		if (strlen(hex) != 40)
			die("DIGEST must be 40 hex digits");
		for (i = 0; i < 20; i++) {
			int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

			if (hi < 0 || lo < 0)
				die("DIGEST is not hex");
			b[n++] = hi << 4 | lo;
		}
	}
	put32(b + 2, n);
	fd = open("/dev/tpm0", O_RDWR);
	if (fd < 0) {
		snprintf(msg, sizeof(msg), "open /dev/tpm0: %s", strerror(errno));
		die(msg);
	}
	if (write(fd, b, n) != (ssize_t)n)
		die("write /dev/tpm0");
	r = read(fd, b, sizeof(b));
	close(fd);
	if (r < 10)
		die("short response");
	if (get32(b + 6)) {
		snprintf(msg, sizeof(msg), "TPM returned 0x%x", get32(b + 6));
		die(msg);
	}
	if (r < 30)
		die("short response");
	for (i = 0; i < 20; i++)
		printf("%02x", b[10 + i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	unsigned long pcr = 24;
	char *end = NULL;

	if (argc > 2)
		pcr = strtoul(argv[2], &end, 10);
	if (argc > 2 && (!*argv[2] || *end || pcr > 23))
		die("PCR must be 0 to 23");
	if (!strcmp(cmd, "pcrread") && argc == 3)
		run(ORD_PCRREAD, pcr, NULL);
	else if (!strcmp(cmd, "extend") && argc == 4)
		run(ORD_EXTEND, pcr, argv[3]);
	else
		die("usage: ti_tpm12 pcrread PCR | extend PCR DIGEST");
	return 0;
}
