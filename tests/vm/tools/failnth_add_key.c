// SPDX-License-Identifier: GPL-2.0
/*
 * failnth_add_key N TYPE DESC PAYLOAD_FILE: add_key() into the session
 * keyring with the N-th fault-injectable allocation of that very syscall
 * made to fail (/proc/thread-self/fail-nth is armed right before it).
 * Prints "made <serial>", "failed <errno name>", and "unconsumed" when the
 * syscall finished before its N-th allocation, i.e. N is past the end.
 * A guest test tool, linked statically into the initramfs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define KEY_SPEC_SESSION_KEYRING -3

int main(int argc, char **argv)
{
	static char payload[65536];
	char nth[16], left[16] = "";
	ssize_t plen;
	long serial;
	int fd, pfd, err;

	if (argc != 5) {
		fprintf(stderr, "usage: %s N TYPE DESC PAYLOAD_FILE\n", argv[0]);
		return 2;
	}
	pfd = open(argv[4], O_RDONLY);
	plen = pfd < 0 ? -1 : read(pfd, payload, sizeof(payload));
	fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (plen < 0 || fd < 0) {
		perror("setup");
		return 2;
	}
	snprintf(nth, sizeof(nth), "%s", argv[1]);
	if (write(fd, nth, strlen(nth)) < 0) {
		perror("fail-nth");
		return 2;
	}
	serial = syscall(SYS_add_key, argv[2], argv[3], payload, (size_t)plen,
			 KEY_SPEC_SESSION_KEYRING);
	err = errno;
	/* what is left of the count: non-zero means no fault was injected */
	if (pread(fd, left, sizeof(left) - 1, 0) < 0)
		left[0] = '\0';
	/* disarm before anything else can allocate */
	if (pwrite(fd, "0", 1, 0) < 0)
		perror("fail-nth");
	if (atoi(left) > 0)
		printf("unconsumed\n");
	else if (serial >= 0)
		printf("made %ld\n", serial);
	else
		printf("failed %s\n", strerrorname_np(err) ? strerrorname_np(err) : "?");
	return 0;
}
