// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the attack kselftests; see attack.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attack.h"

void attack_env_setup(struct attack_env *env)
{
	ring0_env_setup(&env->ring0);
	env->tainted = kernel_tainted();
}

int spawn_ready(struct child *c, const char *payload, const char *const args[], int cpu)
{
	struct spawn_opts opts = SPAWN_DEFAULTS;
	int ret;

	opts.keep_stdin = true;
	opts.cpu = cpu;
	ret = child_spawn(c, payload, args, &opts);
	if (!ret)
		ret = child_wait_line(c, "ready", PAYLOAD_TIMEOUT_MS);
	return ret;
}

int seize_and_stop(pid_t pid, unsigned long options)
{
	int status;

	if (ptrace(PTRACE_SEIZE, pid, 0, (void *)options) ||
	    ptrace(PTRACE_INTERRUPT, pid, 0, 0))
		return -errno;
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	return WIFSTOPPED(status) ? 0 : -ECHILD;
}

int trace_until_exit(pid_t pid)
{
	for (;;) {
		siginfo_t si = { 0 };
		int status, sig;

		if (waitid(P_PID, pid, &si, WEXITED | WSTOPPED | WNOWAIT))
			return -errno;
		if (si.si_code == CLD_EXITED || si.si_code == CLD_KILLED ||
		    si.si_code == CLD_DUMPED)
			return 0;
		if (waitpid(pid, &status, 0) != pid)
			return -errno;
		sig = WSTOPSIG(status);
		if (status >> 16 || sig == SIGTRAP || sig == SIGSTOP)
			sig = 0;	/* an event stop, or what attach and exec raise */
		if (ptrace(PTRACE_CONT, pid, 0, (void *)(long)sig))
			return -errno;
	}
}

static int become(uid_t uid)
{
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
		return -errno;
	return 0;
}

int as_user(uid_t uid, int (*fn)(void *data), void *data, size_t size)
{
	int pfd[2], status, ret;
	size_t done = 0;
	ssize_t n;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC))
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		close(pfd[0]);
		ret = uid && become(uid) ? 126 : fn(data);
		n = write(pfd[1], data, size);
		_exit(n == (ssize_t)size ? ret : 125);
	}
	close(pfd[1]);
	while (done < size) {
		n = read(pfd[0], (char *)data + done, size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += n;
	}
	close(pfd[0]);
	while (waitpid(pid, &status, 0) != pid)
		if (errno != EINTR)
			return -errno;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

bool output_value(const struct child *c, const char *key, unsigned long *value)
{
	size_t len = strlen(key);
	const char *p = c->output;

	while ((p = strstr(p, key))) {
		bool starts = p == c->output || p[-1] == '\n' || p[-1] == ' ';

		p += len;
		if (starts && *p == '=') {
			*value = strtoul(p + 1, NULL, 0);
			return true;
		}
	}
	return false;
}

long keyring_serial(const char *name)
{
	FILE *f = fopen("/proc/keys", "re");
	char line[512], want[80];
	long serial = -1;

	if (!f)
		return -1;
	snprintf(want, sizeof(want), " %s: ", name);
	while (serial < 0 && fgets(line, sizeof(line), f))
		if (strstr(line, " keyring ") && strstr(line, want))
			serial = strtol(line, NULL, 16);
	fclose(f);
	return serial;
}

long kml_enrol(const char *path, long ring, bool possessed)
{
	static char der[8192];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	long key;

	if (fd < 0)
		return -errno;
	n = read(fd, der, sizeof(der));
	close(fd);
	if (n <= 0)
		return -EIO;
	/*
	 * Through our session keyring, a key we possess, which we may
	 * revoke: a key added straight to kml's keyring gives root only
	 * view and read of itself.
	 */
	key = syscall(SYS_add_key, "asymmetric", "", der, (size_t)n,
		      possessed ? -3 /* KEY_SPEC_SESSION_KEYRING */ : ring);
	if (key < 0)
		return -errno;
	if (possessed && syscall(SYS_keyctl, 8 /* KEYCTL_LINK */, key, ring))
		return -errno;
	return key;
}
