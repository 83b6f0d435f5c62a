// SPDX-License-Identifier: GPL-2.0
/*
 * System call semantics that the direct entry must keep, as a program:
 * it prints one line per check and exits 0 only if all hold. The VM test
 * runs it as built (ring 3) and rewritten by `kml rewrite` (ring 0, every
 * glibc syscall site a jump to the direct entry) and compares.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void check(const char *what, int ok)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	if (!ok)
		failures++;
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
	/* A system call from a signal handler. */
	if (getpid() <= 0)
		alarms = -1000;
}

/* A read on an empty pipe, interrupted by SIGALRM after 50 ms. */
static ssize_t interrupted_read(int restart, int *err)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { .tv_usec = 50000 } };
	int fds[2];
	char c;
	ssize_t n;
	pid_t writer;

	if (pipe(fds))
		return -2;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGALRM, &sa, NULL);
	writer = fork();
	if (writer == 0) {
		/* Feed the pipe only after the alarm has fired. */
		usleep(300000);
		if (write(fds[1], "x", 1) != 1)
			_exit(1);
		_exit(0);
	}
	alarms = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	n = read(fds[0], &c, 1);
	*err = errno;
	waitpid(writer, NULL, 0);
	close(fds[0]);
	close(fds[1]);
	return n;
}

static void *thread_main(void *arg)
{
	long sum = 0;
	int i;

	for (i = 0; i < 1000; i++)
		sum += getppid() > 0;
	*(long *)arg = sum;
	return NULL;
}

int main(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = filter };
	long results[4] = { 0 };
	pthread_t threads[4];
	int err = 0, i, status;
	ssize_t n;
	pid_t child;

	setvbuf(stdout, NULL, _IONBF, 0);

	n = interrupted_read(1, &err);
	check("SA_RESTART: an interrupted read restarts and completes",
	      n == 1 && alarms == 1);
	n = interrupted_read(0, &err);
	check("no SA_RESTART: an interrupted read fails with EINTR",
	      n == -1 && err == EINTR && alarms == 1);

	for (i = 0; i < 4; i++)
		pthread_create(&threads[i], NULL, thread_main, &results[i]);
	for (i = 0; i < 4; i++)
		pthread_join(threads[i], NULL);
	check("four threads make 4000 system calls",
	      results[0] + results[1] + results[2] + results[3] == 4000);

	child = vfork();
	if (child == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	waitpid(child, &status, 0);
	check("vfork + exec + wait", WIFEXITED(status) && !WEXITSTATUS(status));

	check("no_new_privs", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
	check("the program installs a seccomp filter",
	      prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0);
	errno = 0;
	check("the filter makes getppid fail with EPERM",
	      syscall(SYS_getppid) == -1 && errno == EPERM);
	check("other system calls still work", getpid() > 0);

	return failures ? 1 : 0;
}
