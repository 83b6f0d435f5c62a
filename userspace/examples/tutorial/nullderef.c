// SPDX-License-Identifier: GPL-2.0
/*
 * nullderef [--catch]: reads the int at address 0. At ring 3 that is a page
 * fault the kernel answers with SIGSEGV; at ring 0 it is the same page
 * fault, raised in kernel mode, and kml makes it the same signal to the
 * program instead of a kernel oops. With --catch a SIGSEGV handler reports
 * what it received and exits with status 1. (docs/tutorial.md, step 8)
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* volatile: the compiler cannot know it is NULL, so it emits the load. */
static int *volatile null_pointer;

static void say(const char *text)
{
	if (write(STDOUT_FILENO, text, strlen(text)) < 0)
		_exit(2);
}

static void on_segv(int sig, siginfo_t *info, void *context)
{
	unsigned short cs;

	(void)sig;
	(void)context;
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	/* Only async-signal-safe calls here: write and _exit. */
	say(!info->si_addr ? "caught SIGSEGV: address 0"
			   : "caught SIGSEGV: another address");
	say(info->si_code == SEGV_MAPERR ? ", nothing mapped there"
					 : ", a mapped page");
	say((cs & 3) == 0 ? "; the handler runs at ring 0\n"
			  : "; the handler runs at ring 3\n");
	_exit(1);
}

int main(int argc, char **argv)
{
	unsigned short cs;

	if (argc > 1 && strcmp(argv[1], "--catch") == 0) {
		struct sigaction sa = { .sa_sigaction = on_segv,
					.sa_flags = SA_SIGINFO };

		sigaction(SIGSEGV, &sa, NULL);
	}
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	printf("ring %d: reading the int at address 0\n", cs & 3);
	fflush(stdout);
	printf("read %d\n", *null_pointer);
	return 0;
}
