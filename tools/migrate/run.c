// SPDX-License-Identifier: GPL-2.0
/*
 * Running another program: dmsetup for the dm-crypt check, /bin/sh for
 * --check-cmd. Never with key bytes: the child gets them neither in argv,
 * nor in its environment, nor through a pipe (the locked arena is zeroed
 * in the child by MADV_WIPEONFORK, and exec drops it anyway).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "migrate.h"
#include "run.h"

static void child(char *const argv[], int quiet_out, char *const env[])
{
	static const char *const dirs[] = { "/usr/sbin/", "/sbin/" };
	char path[256];
	int fd;
	size_t i;

	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		if (quiet_out)
			dup2(fd, STDOUT_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	for (; env && *env; env++)
		putenv(*env);
	execvp(argv[0], argv);
	if (!strchr(argv[0], '/') && errno == ENOENT) {
		for (i = 0; i < ARRAY_SIZE(dirs); i++) {
			snprintf(path, sizeof(path), "%s%s", dirs[i], argv[0]);
			execv(path, argv);
		}
	}
	msg_err("cannot run %s: %s", argv[0], strerror(errno));
	_exit(127);
}

int run_argv(char *const argv[], int quiet_out, char *const env[])
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0) {
		msg_err("cannot run %s: %s", argv[0], strerror(errno));
		return -1;
	}
	if (pid == 0)
		child(argv, quiet_out, env);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status) == 127 ? -1 : WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}
