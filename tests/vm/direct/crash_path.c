// SPDX-License-Identifier: GPL-2.0
/*
 * A libc crash path, run at ring 0 (kml_rewrite_test.c). musl's
 * __stack_chk_fail is a_crash(): one hlt. At CPL 3 hlt is privileged, a
 * #GP, so the program dies of SIGSEGV. At CPL 0 hlt does not fault: it
 * waits for the next interrupt and goes on, so a program that found its
 * own stack smashed would return and carry on. kml rewrite makes every
 * hlt an int3, which is a SIGTRAP at either ring. Built with musl-gcc
 * -static.
 */
#include <unistd.h>

void __stack_chk_fail(void);

int main(void)
{
	static const char msg[] = "the crash path returned\n";

	__stack_chk_fail();
	if (write(1, msg, sizeof(msg) - 1) < 0)
		return 2;
	return 0;
}
