// SPDX-License-Identifier: GPL-2.0
/*
 * Signal delivery to a running payload: a handler that runs at the
 * payload's own ring and returns through sigreturn, and a blocking read
 * interrupted by a timer signal, with and without SA_RESTART.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "payload.h"

static volatile sig_atomic_t got_signal;
static volatile int handler_cpl = -1, interrupted_cpl = -1;

static void record_ring(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	handler_cpl = current_cpl();
	/* The saved frame: CS is the low 16 bits of the CSGSFS slot. */
	interrupted_cpl = (int)(uc->uc_mcontext.gregs[REG_CSGSFS] & 3);
	got_signal = sig;
}

/*
 * sigterm: prints "ready" and spins without system calls until SIGTERM
 * arrives; the handler records its own ring and the ring of the code it
 * interrupted, and returns. The loop going on afterwards proves that
 * sigreturn brought the payload back where it was.
 */
static int run_sigterm(int argc, char **argv)
{
	volatile unsigned long spins = 0, after = 0;

	say("cpl=%d", current_cpl());
	on_signal(SIGTERM, record_ring, 0);
	say("ready");
	while (!got_signal)
		spins++;
	/* Still in the same loop frame, with the same locals, after return. */
	while (after < 1000)
		after++;
	say("handler cpl=%d", handler_cpl);
	say("interrupted cpl=%d", interrupted_cpl);
	say("resumed: %s", spins > 0 && after == 1000 ? "yes" : "no");
	return 0;
}

static void alarm_note(int sig, siginfo_t *si, void *ctx)
{
	got_signal = sig;
	say("alarm handled");
}

/*
 * alarm restart|eintr: SIGALRM (with or without SA_RESTART) fires 100 ms
 * into a read of stdin that has nothing to read. Restart: the read goes on
 * after the handler and returns the byte the test then writes. Eintr: the
 * read fails with EINTR at once.
 */
static int run_alarm(int argc, char **argv)
{
	struct itimerval it = { .it_value = { 0, 100 * 1000 } };
	int restart;
	char c;
	ssize_t n;

	if (argc != 1 || (strcmp(argv[0], "restart") && strcmp(argv[0], "eintr"))) {
		say("usage: alarm restart|eintr");
		return 2;
	}
	restart = !strcmp(argv[0], "restart");
	say("cpl=%d", current_cpl());
	on_signal(SIGALRM, alarm_note, restart ? SA_RESTART : 0);
	say("blocking");
	if (setitimer(ITIMER_REAL, &it, NULL))
		fail("setitimer: %s", strerror(errno));
	n = read(STDIN_FILENO, &c, 1);
	if (n < 0)
		say("read=-1 errno=%s", errno == EINTR ? "EINTR" : strerror(errno));
	else
		say("read=%ld", (long)n);
	say("signal seen: %s", got_signal == SIGALRM ? "yes" : "no");
	return 0;
}

/*
 * nanosleep MS: prints "sleeping" and sleeps MS milliseconds in one
 * nanosleep; reports whether it returned 0 after at least MS. A stop and
 * continue in between makes the kernel restart it through restart_syscall
 * (ERESTART_RESTARTBLOCK), invisible to the program.
 */
static int run_nanosleep(int argc, char **argv)
{
	long ms = argc > 0 ? arg_long(argv[0], "MS") : 500;
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
	int64_t t0;
	int ret;

	say("cpl=%d", current_cpl());
	say("sleeping");
	t0 = now_ms();
	ret = nanosleep(&ts, NULL);
	say("nanosleep=%d", ret);
	say("slept the full time: %s", now_ms() - t0 >= ms ? "yes" : "no");
	return 0;
}

/*
 * read: prints "blocking" and reads one byte from stdin with no handler
 * installed; a stop and continue meanwhile restarts the read
 * (ERESTARTSYS) without the program noticing.
 */
static int run_read(int argc, char **argv)
{
	char c;
	ssize_t n;

	say("cpl=%d", current_cpl());
	say("blocking");
	n = read(STDIN_FILENO, &c, 1);
	say("read=%ld", (long)n);
	return 0;
}

const struct payload_mode signal_modes[] = {
	{ "nanosleep", "MS", run_nanosleep },
	{ "read", "", run_read },
	{ "sigterm", "", run_sigterm },
	{ "alarm", "restart|eintr", run_alarm },
	{ NULL, NULL, NULL },
};
