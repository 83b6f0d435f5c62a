// SPDX-License-Identifier: GPL-2.0
/* The payload's entry point: dispatch on the mode name, plus shared helpers. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "payload.h"

static const struct payload_mode *const tables[] = {
	cpl_modes, syscall_modes, signal_modes, fault_modes,
	memory_modes, task_modes, fpu_modes, stress_modes, escape_modes,
};

static void vsay(const char *fmt, va_list ap)
{
	char line[512];
	int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	ssize_t done = 0;

	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	while (done < n) {
		ssize_t w = write(STDOUT_FILENO, line + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		done += w;
	}
}

void say(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	errno = saved;
}

void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	exit(1);
}

long arg_long(const char *s, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s ? s : "", &end, 10);
	if (!s || !*s || *end || errno) {
		say("usage: %s must be a number, not '%s'", what, s ? s : "");
		exit(2);
	}
	return v;
}

int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void on_signal(int sig, void (*handler)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO | flags };

	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL))
		fail("sigaction(%d): %s", sig, strerror(errno));
}

const char *self_dir(void)
{
	static char dir[PATH_MAX];
	ssize_t n;
	char *slash;

	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	if (n <= 0)
		fail("readlink /proc/self/exe: %s", strerror(errno));
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	return dir;
}

static void usage(void)
{
	const struct payload_mode *m;
	size_t i;

	say("usage: ring0-payload MODE [ARGS...]; modes:");
	for (i = 0; i < ARRAY_SIZE(tables); i++)
		for (m = tables[i]; m->name; m++)
			say("  %s %s", m->name, m->usage);
}

int main(int argc, char **argv)
{
	const struct payload_mode *m;
	size_t i;

	if (argc < 2) {
		usage();
		return 2;
	}
	for (i = 0; i < ARRAY_SIZE(tables); i++)
		for (m = tables[i]; m->name; m++)
			if (!strcmp(m->name, argv[1]))
				return m->run(argc - 2, argv + 2);
	say("unknown mode '%s'", argv[1]);
	usage();
	return 2;
}
