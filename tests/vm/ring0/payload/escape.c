// SPDX-License-Identifier: GPL-2.0
/*
 * drop-to-nobody: becomes nobody (65534) and makes itself dumpable again,
 * as a ring-0 server that sheds root after start-up might, prints its
 * ring and "ready", then blocks reading stdin until EOF. An ordinary
 * process in that state may be traced by any process of user nobody.
 *
 * entry: prints the direct entry the kernel published (AT_KML_ENTRY) as
 * "entry=0x...", or "entry=none".
 *
 * jump ADDR: jumps to ADDR the way a rewritten site enters the kernel
 * (return address in %rcx, getpid in %rax). From CPL 3 a kernel address
 * is a supervisor page: the process must die of SIGSEGV there.
 *
 * forge-cs SELECTOR: asks sigreturn to load a code selector of the
 * payload's choosing (the handler writes it into the saved frame). From
 * CPL 3, no selector may lead to CPL 0: the kernel must force the frame
 * back to user privilege or kill the process. Prints, if it survives,
 * the ring it came back at.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include <linux/kml_abi.h>

#include "payload.h"

static unsigned long forged_cs;

static void forge(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	greg_t *csgsfs = &uc->uc_mcontext.gregs[REG_CSGSFS];

	/* CS is the low 16 bits of the slot; GS, FS and SS follow. */
	*csgsfs = (*csgsfs & ~(greg_t)0xffff) | (greg_t)forged_cs;
}

static int run_forge_cs(int argc, char **argv)
{
	if (argc != 1)
		fail("usage: forge-cs SELECTOR");
	forged_cs = strtoul(argv[0], NULL, 0) & 0xffff;
	say("cpl=%d", current_cpl());
	on_signal(SIGUSR1, forge, 0);
	raise(SIGUSR1);
	say("after sigreturn cpl=%d", current_cpl());
	return 0;
}

static int run_drop_to_nobody(int argc, char **argv)
{
	char buf[64];
	ssize_t n;

	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534) || prctl(PR_SET_DUMPABLE, 1))
		fail("dropping to nobody: errno %d", errno);
	say("cpl=%d uid=%d", current_cpl(), (int)getuid());
	say("ready");
	do
		n = read(STDIN_FILENO, buf, sizeof(buf));
	while (n > 0 || (n < 0 && errno == EINTR));
	return 0;
}


static int run_entry(int argc, char **argv)
{
	unsigned long entry = getauxval(AT_KML_ENTRY);

	if (entry)
		say("entry=0x%lx", entry);
	else
		say("entry=none");
	return 0;
}

static int run_jump(int argc, char **argv)
{
	unsigned long target;
	long ret = SYS_getpid;

	if (argc != 1)
		fail("usage: jump ADDR");
	target = strtoul(argv[0], NULL, 0);
	say("cpl=%d jumping", current_cpl());
	__asm__ volatile("lea 1f(%%rip), %%rcx\n\t"
			 "jmp *%1\n"
			 "1:"
			 : "+a"(ret)
			 : "r"(target)
			 : "rcx", "r11", "memory", "cc");
	say("came back with %ld", ret);
	return 0;
}

const struct payload_mode escape_modes[] = {
	{ "entry", "", run_entry },
	{ "jump", "ADDR", run_jump },
	{ "forge-cs", "SELECTOR", run_forge_cs },
	{ "drop-to-nobody", "", run_drop_to_nobody },
	{ NULL, NULL, NULL },
};
