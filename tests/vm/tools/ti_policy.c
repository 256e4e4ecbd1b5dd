// SPDX-License-Identifier: GPL-2.0
/*
 * ti_policy: TPM 2.0 PCR policies for the guest tests (t-tpm2opts.sh), in
 * raw commands to /dev/tpm0. A guest test tool, linked statically into the
 * initramfs.
 *
 *   ti_policy pcrread PCR          "COUNTER VALUE": the pcrUpdateCounter
 *                                  and PCR's SHA-256 bank value, in hex
 *   ti_policy extend PCR [DIGEST]  extend PCR's SHA-256 bank by DIGEST
 *                                  (64 hex digits; default 32 bytes of
 *                                  0x5a); prints the new value
 *   ti_policy digest ALG PCR       the policy digest of TPM2_PolicyPCR over
 *                                  PCR's current SHA-256 value, from a
 *                                  trial session of hash ALG (sha1,
 *                                  sha256, sha384, sha512): what
 *                                  policydigest= takes
 *   ti_policy session ALG PCR      a policy session of hash ALG that has
 *                                  run TPM2_PolicyPCR on PCR; prints its
 *                                  handle (0x03......) for policyhandle=
 *   ti_policy flush HANDLE         TPM2_FlushContext
 *
 * /dev/tpm0, not /dev/tpmrm0: the resource manager behind tpmrm0 flushes
 * every session its file handle made when the file is closed, so a session
 * would be gone before keyctl could name it. Through tpm0 the session stays
 * loaded in the TPM until a command consumes it or it is flushed.
 */
#define TOOL "ti_policy"
#include "tpm_raw.h"

#define ST_NO_SESSIONS		0x8001
#define ST_SESSIONS		0x8002
#define CC_FLUSH_CONTEXT	0x00000165
#define CC_START_AUTH_SESSION	0x00000176
#define CC_PCR_READ		0x0000017e
#define CC_POLICY_PCR		0x0000017f
#define CC_PCR_EXTEND		0x00000182
#define CC_POLICY_GET_DIGEST	0x00000189
#define RH_NULL			0x40000007
#define RS_PW			0x40000009
#define ALG_SHA256		0x000b
#define ALG_NULL		0x0010
#define SE_POLICY		0x01
#define SE_TRIAL		0x03
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

static uint16_t alg_arg(const char *s)
{
	static const struct { const char *name; uint16_t id; } algs[] = {
		{ "sha1", 0x0004 }, { "sha256", 0x000b },
		{ "sha384", 0x000c }, { "sha512", 0x000d },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(algs); i++)
		if (!strcmp(s, algs[i].name))
			return algs[i].id;
	die("ALG must be sha1, sha256, sha384 or sha512");
	return 0;
}

/* TPML_PCR_SELECTION of one PCR in the SHA-256 bank */
static void put_pcr_selection(struct buf *b, unsigned int pcr)
{
	put32(b, 1);
	put16(b, ALG_SHA256);
	put8(b, 3);
	put8(b, pcr < 8 ? 1 << pcr : 0);
	put8(b, pcr >= 8 && pcr < 16 ? 1 << (pcr - 8) : 0);
	put8(b, pcr >= 16 ? 1 << (pcr - 16) : 0);
}

static void pcr_read(unsigned int pcr)
{
	struct buf b;
	size_t off;
	uint32_t counter;

	begin(&b, ST_NO_SESSIONS, CC_PCR_READ);
	put_pcr_selection(&b, pcr);
	transmit(&b, "TPM2_PCR_Read");
	counter = get32(b.d + 10);
	/* skip pcrSelectionOut: count, then (hash, sizeofSelect, select) */
	off = 14;
	if (get32(b.d + off) != 1)
		die("TPM2_PCR_Read: unexpected selection");
	off += 4 + 2 + 1 + b.d[off + 6];
	/* pcrValues: count, then one TPM2B_DIGEST */
	if (get32(b.d + off) != 1 || get16(b.d + off + 4) != 32)
		die("TPM2_PCR_Read: no SHA-256 value (is the bank allocated?)");
	printf("%u ", counter);
	printhex(b.d + off + 6, 32);
	printf("\n");
}

static void pcr_extend(unsigned int pcr, const char *hex)
{
	uint8_t digest[32];
	struct buf b;

	if (hex)
		unhex(hex, digest, sizeof(digest));
	else
		memset(digest, 0x5a, sizeof(digest));
	begin(&b, ST_SESSIONS, CC_PCR_EXTEND);
	put32(&b, pcr);
	/* a password session with the PCR's empty auth */
	put32(&b, 9);
	put32(&b, RS_PW);
	put16(&b, 0);
	put8(&b, 0);
	put16(&b, 0);
	put32(&b, 1);
	put16(&b, ALG_SHA256);
	putbytes(&b, digest, sizeof(digest));
	transmit(&b, "TPM2_PCR_Extend");
	pcr_read(pcr);
}

static uint32_t start_session(uint8_t type, uint16_t alg)
{
	uint8_t nonce[16];
	struct buf b;
	int fd;

	/* nonceCaller: 16 bytes at least; only its freshness matters */
	fd = open("/dev/urandom", O_RDONLY);
	if (fd < 0 || read(fd, nonce, sizeof(nonce)) != sizeof(nonce))
		die("no random bytes");
	close(fd);
	begin(&b, ST_NO_SESSIONS, CC_START_AUTH_SESSION);
	put32(&b, RH_NULL);	/* tpmKey: unsalted */
	put32(&b, RH_NULL);	/* bind: unbound */
	put16(&b, sizeof(nonce));
	putbytes(&b, nonce, sizeof(nonce));
	put16(&b, 0);		/* encryptedSalt */
	put8(&b, type);
	put16(&b, ALG_NULL);	/* symmetric: none */
	put16(&b, alg);
	transmit(&b, "TPM2_StartAuthSession");
	return get32(b.d + 10);
}

static void policy_pcr(uint32_t session, unsigned int pcr)
{
	struct buf b;

	begin(&b, ST_NO_SESSIONS, CC_POLICY_PCR);
	put32(&b, session);
	put16(&b, 0);	/* pcrDigest: empty, the TPM takes the current values */
	put_pcr_selection(&b, pcr);
	transmit(&b, "TPM2_PolicyPCR");
}

static void flush(uint32_t handle)
{
	struct buf b;

	begin(&b, ST_NO_SESSIONS, CC_FLUSH_CONTEXT);
	put32(&b, handle);
	transmit(&b, "TPM2_FlushContext");
}

static void policy_digest(uint16_t alg, unsigned int pcr)
{
	uint32_t s = start_session(SE_TRIAL, alg);
	struct buf b;

	policy_pcr(s, pcr);
	begin(&b, ST_NO_SESSIONS, CC_POLICY_GET_DIGEST);
	put32(&b, s);
	transmit(&b, "TPM2_PolicyGetDigest");
	flush(s);
	printhex(b.d + 12, get16(b.d + 10));
	printf("\n");
}

static void policy_session(uint16_t alg, unsigned int pcr)
{
	uint32_t s = start_session(SE_POLICY, alg);

	policy_pcr(s, pcr);
	printf("0x%08x\n", s);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "pcrread") && argc == 3)
		pcr_read(pcr_arg(argv[2]));
	else if (!strcmp(cmd, "extend") && (argc == 3 || argc == 4))
		pcr_extend(pcr_arg(argv[2]), argc == 4 ? argv[3] : NULL);
	else if (!strcmp(cmd, "digest") && argc == 4)
		policy_digest(alg_arg(argv[2]), pcr_arg(argv[3]));
	else if (!strcmp(cmd, "session") && argc == 4)
		policy_session(alg_arg(argv[2]), pcr_arg(argv[3]));
	else if (!strcmp(cmd, "flush") && argc == 3)
		flush(strtoul(argv[2], NULL, 16));
	else
		die("usage: ti_policy pcrread PCR | extend PCR [DIGEST] | digest ALG PCR | session ALG PCR | flush HANDLE");
	return 0;
}
