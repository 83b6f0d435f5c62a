// SPDX-License-Identifier: GPL-2.0
/*
 * stress SECONDS: for SECONDS of wall time, mixes system calls, caught
 * faults (resumed by the handler, no longjmp), a 2 ms interval timer, self
 * sent signals and short-lived forked children, checking every result.
 * Prints "stress: ok" at the end, or the first thing that went wrong.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "payload.h"
#include "faults.h"

static volatile unsigned long alarms, usr1s;

static void count_signal(int sig, siginfo_t *si, void *ctx)
{
	if (sig == SIGALRM)
		alarms++;
	else
		usr1s++;
}

static const char *const fault_cycle[] = { "null", "readonly", "div0", "ud2", "int3" };

static int run_stress(int argc, char **argv)
{
	struct itimerval it = { { 0, 2000 }, { 0, 2000 } };
	long seconds = argc > 0 ? arg_long(argv[0], "SECONDS") : 5;
	unsigned long iter = 0, syscalls = 0, forks = 0;
	pid_t pid = getpid();
	int64_t end;
	int devnull, fds[2];

	say("cpl=%d", current_cpl());
	faults_setup(1, 1);
	on_signal(SIGALRM, count_signal, SA_RESTART);
	on_signal(SIGUSR1, count_signal, SA_RESTART);
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull < 0 || pipe2(fds, O_CLOEXEC))
		fail("stress: setup: %s", strerror(errno));
	if (setitimer(ITIMER_REAL, &it, NULL))
		fail("stress: setitimer: %s", strerror(errno));

	end = now_ms() + seconds * 1000;
	while (now_ms() < end) {
		unsigned long before = faults_caught, sig_before = usr1s;
		char buf[32] = { 0 };
		void *p;

		if (getpid() != pid)
			fail("stress: getpid changed");
		if (write(devnull, "x", 1) != 1)
			fail("stress: write /dev/null: %s", strerror(errno));
		if (write(fds[1], &iter, sizeof(iter)) != sizeof(iter) ||
		    read(fds[0], buf, sizeof(buf)) != sizeof(iter) || memcmp(buf, &iter, sizeof(iter)))
			fail("stress: pipe round trip failed at %lu", iter);
		p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			fail("stress: mmap: %s", strerror(errno));
		((volatile char *)p)[4096] = 1;
		munmap(p, 8192);
		syscalls += 5;

		fault_trigger(fault_cycle[iter % 5]);
		if (faults_caught != before + 1)
			fail("stress: %s fault seen %lu times", fault_cycle[iter % 5],
			     faults_caught - before);
		kill(pid, SIGUSR1);
		if (usr1s != sig_before + 1)
			fail("stress: SIGUSR1 not delivered before kill returned");

		if (iter % 64 == 0) {
			pid_t child = fork();
			int status;

			if (child == 0)
				_exit(current_cpl() == 0 ? 40 : 43);
			if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status))
				fail("stress: fork/wait failed");
			/* The child ran at its parent's ring. */
			if (WEXITSTATUS(status) != (current_cpl() == 0 ? 40 : 43))
				fail("stress: forked child ran at another ring (exit %d)",
				     WEXITSTATUS(status));
			forks++;
		}
		iter++;
	}
	it = (struct itimerval){ 0 };
	setitimer(ITIMER_REAL, &it, NULL);
	if (!iter || !alarms)
		fail("stress: no progress (iterations %lu, timer signals %lu)", iter, alarms);
	say("stress: ok");
	say("stress: iterations=%lu syscalls=%lu faults=%lu timer-signals=%lu forks=%lu",
	    iter, syscalls, faults_caught, alarms, forks);
	return 0;
}

const struct payload_mode stress_modes[] = {
	{ "stress", "SECONDS", run_stress },
	{ NULL, NULL, NULL },
};
