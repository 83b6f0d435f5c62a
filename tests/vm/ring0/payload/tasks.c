// SPDX-License-Identifier: GPL-2.0
/*
 * New tasks made by a ring-0 payload: threads and forked children stay at
 * the payload's ring; exec decides the ring afresh from the new program's
 * marker.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <asm/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "payload.h"

#define MAX_THREADS 16

struct thread_report {
	int cpl;
	pid_t tid;
};

static void *thread_main(void *arg)
{
	struct thread_report *r = arg;
	volatile unsigned long i;

	/* A little work first, so the threads overlap and get scheduled. */
	for (i = 0; i < 100000; i++)
		;
	r->cpl = current_cpl();
	r->tid = (pid_t)syscall(SYS_gettid);
	return r;
}

/* threads [N]: N threads (default 4) report their ring and thread id. */
static int run_threads(int argc, char **argv)
{
	long n = argc > 0 ? arg_long(argv[0], "N") : 4;
	struct thread_report reports[MAX_THREADS] = { 0 };
	pthread_t th[MAX_THREADS];
	long i;
	int err;

	if (n < 1 || n > MAX_THREADS)
		fail("usage: threads N, 1 <= N <= %d", MAX_THREADS);
	say("cpl=%d", current_cpl());
	for (i = 0; i < n; i++) {
		err = pthread_create(&th[i], NULL, thread_main, &reports[i]);
		if (err)
			fail("pthread_create: %s", strerror(err));
	}
	for (i = 0; i < n; i++) {
		void *ret;

		err = pthread_join(th[i], &ret);
		if (err || ret != &reports[i])
			fail("pthread_join: %s", strerror(err));
	}
	for (i = 0; i < n; i++)
		say("thread %ld cpl=%d own-tid=%s", i, reports[i].cpl,
		    reports[i].tid > 0 && reports[i].tid != getpid() ? "yes" : "no");
	return 0;
}

/* fork: a child reports its ring and exits 7; the parent reaps it. */
static int run_fork(int argc, char **argv)
{
	pid_t parent = getpid(), child;
	int status;

	say("cpl=%d", current_cpl());
	child = fork();
	if (child < 0)
		fail("fork: %s", strerror(errno));
	if (child == 0) {
		say("child cpl=%d own-pid=%s", current_cpl(),
		    getpid() != parent && getppid() == parent ? "yes" : "no");
		_exit(7);
	}
	if (waitpid(child, &status, 0) != child)
		fail("waitpid: %s", strerror(errno));
	say("child exit=%d", WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status));
	return 0;
}

/* vfork: a vfork child (sharing our stack) execs "PAYLOAD cpl". */
static int run_vfork(int argc, char **argv)
{
	char path[PATH_MAX];
	pid_t child;
	int status;

	if (argc != 1 || strchr(argv[0], '/'))
		fail("usage: vfork PAYLOAD (a file name next to this one)");
	snprintf(path, sizeof(path), "%s/%s", self_dir(), argv[0]);
	say("cpl=%d", current_cpl());
	child = vfork();
	if (child == 0) {
		execl(path, path, "cpl", (char *)NULL);
		_exit(127);
	}
	if (child < 0)
		fail("vfork: %s", strerror(errno));
	if (waitpid(child, &status, 0) != child)
		fail("waitpid: %s", strerror(errno));
	say("child exit=%d", WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status));
	return 0;
}

/* exec PAYLOAD MODE...: replaces itself with a sibling payload file. */
static int run_exec(int argc, char **argv)
{
	char path[PATH_MAX];

	if (argc < 2 || strchr(argv[0], '/'))
		fail("usage: exec PAYLOAD MODE [ARGS...]");
	snprintf(path, sizeof(path), "%s/%s", self_dir(), argv[0]);
	say("before exec cpl=%d", current_cpl());
	argv[0] = path;
	execv(path, argv);
	fail("execv %s: %s", path, strerror(errno));
}

/*
 * exec-gs BASE PAYLOAD MODE [ARGS...]: exec, with the GS base set to BASE
 * first (ARCH_SET_GS): what a ring-0 program inherits from an exec must
 * not depend on the GS state of the program before it.
 */
static int run_exec_gs(int argc, char **argv)
{
	if (argc < 3)
		fail("usage: exec-gs BASE PAYLOAD MODE [ARGS...]");
	if (syscall(SYS_arch_prctl, ARCH_SET_GS, strtoul(argv[0], NULL, 0)))
		fail("arch_prctl(ARCH_SET_GS): %s", strerror(errno));
	return run_exec(argc - 1, argv + 1);
}

const struct payload_mode task_modes[] = {
	{ "threads", "[N]", run_threads },
	{ "fork", "", run_fork },
	{ "vfork", "PAYLOAD", run_vfork },
	{ "exec", "PAYLOAD MODE [ARGS...]", run_exec },
	{ "exec-gs", "BASE PAYLOAD MODE [ARGS...]", run_exec_gs },
	{ NULL, NULL, NULL },
};
