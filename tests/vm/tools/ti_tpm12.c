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
#define TOOL "ti_tpm12"
#include "tpm_raw.h"

#define TAG_RQU_COMMAND		0x00c1
#define ORD_EXTEND		0x00000014
#define ORD_PCRREAD		0x00000015

/* One command: header, PCR index, optional 20-byte digest; prints outDigest. */
static void run(uint32_t ordinal, unsigned int pcr, const char *hex)
{
	uint8_t digest[20];
	struct buf b;

	begin(&b, TAG_RQU_COMMAND, ordinal);
	put32(&b, pcr);
	if (hex) {
		unhex(hex, digest, sizeof(digest));
		putbytes(&b, digest, sizeof(digest));
	}
	transmit(&b, ordinal == ORD_EXTEND ? "TPM_Extend" : "TPM_PCRRead");
	if (b.n < 30)
		die("short response");
	printhex(b.d + 10, 20);
	printf("\n");
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "pcrread") && argc == 3)
		run(ORD_PCRREAD, pcr_arg(argv[2]), NULL);
	else if (!strcmp(cmd, "extend") && argc == 4)
		run(ORD_EXTEND, pcr_arg(argv[2]), argv[3]);
	else
		die("usage: ti_tpm12 pcrread PCR | extend PCR DIGEST");
	return 0;
}
