// SPDX-License-Identifier: GPL-2.0
/* The attack payload's entry point: dispatch on the mode, and shared helpers. */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "payload.h"

unsigned long kml_entry;

static const struct mode *const tables[] = { task_modes, flag_modes, escape_modes, fuzz_modes };

static void vsay(const char *fmt, va_list ap)
{
	char line[512];
	int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	ssize_t done = 0, w;

	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	while (done < n) {
		w = write(STDOUT_FILENO, line + done, n - done);
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

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	exit(1);
}

unsigned long arg_ulong(const char *s, const char *what)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s ? s : "", &end, 0);
	if (!s || !*s || *end || errno) {
		say("usage: %s must be a number, not '%s'", what, s ? s : "");
		exit(2);
	}
	return v;
}

void need_entry(void)
{
	if (!kml_entry) {
		say("no AT_KML_ENTRY: not a ring-0 program");
		exit(3);
	}
}

/* Neither inlined nor cloned: entry_jump, the jump into the kernel, exists once. */
__attribute__((noipa)) long entry_call(long nr, long a0, long a1, long a2)
{
	register long rdi __asm__("rdi") = a0;
	register long rsi __asm__("rsi") = a1;
	register long rdx __asm__("rdx") = a2;

	__asm__ volatile("0: lea 1f(%%rip), %%rcx\n\t"
			 ".globl entry_jump\n"
			 "entry_jump: jmp *%[entry]\n\t"
			 "jmp 0b\n"
			 "1:"
			 : "+a"(nr)
			 : "r"(rdi), "r"(rsi), "r"(rdx), [entry] "r"(kml_entry)
			 : "rcx", "r11", "memory", "cc");
	return nr;
}

long any_call(long nr, long a0, long a1, long a2)
{
	register long rdi __asm__("rdi") = a0;
	register long rsi __asm__("rsi") = a1;
	register long rdx __asm__("rdx") = a2;

	if (kml_entry)
		return entry_call(nr, a0, a1, a2);
	__asm__ volatile("syscall"
			 : "+a"(nr)
			 : "r"(rdi), "r"(rsi), "r"(rdx)
			 : "rcx", "r11", "memory", "cc");
	return nr;
}

void exec_sibling(int argc, char **argv)
{
	char self[PATH_MAX], path[PATH_MAX + NAME_MAX + 2];
	ssize_t n;
	char *slash;

	if (argc < 1 || strchr(argv[0], '/'))
		fail("usage: ... FILE [ARGS...] (a file next to this program)");
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		fail("readlink /proc/self/exe: errno=%d", errno);
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	snprintf(path, sizeof(path), "%s/%s", self, argv[0]);
	argv[0] = path;
	execv(path, argv);
	say("exec errno=%d", errno);
	exit(3);
}

bool cpu_has_smap(void)
{
	unsigned int eax, ebx, ecx, edx;

	if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
		return false;
	return ebx & (1U << 20);
}

static void usage(void)
{
	const struct mode *m;
	size_t i;

	say("usage: attack-payload MODE [ARGS...]; modes:");
	for (i = 0; i < ARRAY_SIZE(tables); i++)
		for (m = tables[i]; m->name; m++)
			say("  %s %s", m->name, m->usage);
}

int main(int argc, char **argv)
{
	const struct mode *m;
	size_t i;

	kml_entry = getauxval(AT_KML_ENTRY);
	if (argc < 2) {
		usage();
		return 2;
	}
	for (i = 0; i < ARRAY_SIZE(tables); i++) {
		for (m = tables[i]; m->name; m++) {
			if (strcmp(m->name, argv[1]))
				continue;
			say("cpl=%d", current_cpl());
			return m->run(argc - 2, argv + 2);
		}
	}
	say("unknown mode '%s'", argv[1]);
	usage();
	return 2;
}
