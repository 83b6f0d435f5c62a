// SPDX-License-Identifier: GPL-2.0
/*
 * A libc crash path, run at ring 0 (kml_rewrite_test.c). musl's
 * __stack_chk_fail is a_crash(): one hlt. At CPL 3 hlt is privileged, a
 * #GP, so the program dies of SIGSEGV. At CPL 0 hlt does not fault: it
 * waits for the next interrupt and goes on, so a program that found its
 * own stack smashed would return and carry on. kml rewrite makes every
 * hlt 0x06, a #UD (SIGILL) at either ring. Built with musl-gcc -static.
 *
 * With the argument "handler", a handler for SIGSEGV, SIGILL and SIGTRAP
 * returns: a fault runs the instruction again, so the third signal ends
 * the program with status 3; a trap (int3) would go on past the crash
 * path and print.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

void __stack_chk_fail(void);

static volatile sig_atomic_t signals;

static void count(int sig)
{
	(void)sig;
	if (++signals == 3)
		_exit(3);
}

int main(int argc, char **argv)
{
	static const char msg[] = "the crash path returned\n";

	if (argc > 1 && !strcmp(argv[1], "handler")) {
		signal(SIGSEGV, count);
		signal(SIGILL, count);
		signal(SIGTRAP, count);
	}
	__stack_chk_fail();
	if (write(1, msg, sizeof(msg) - 1) < 0)
		return 2;
	return 0;
}
