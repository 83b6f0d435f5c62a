// SPDX-License-Identifier: GPL-2.0
/*
 * forge-cs SELECTOR: asks sigreturn to load a code selector of the
 * payload's choosing (the handler writes it into the saved frame). From
 * CPL 3, no selector may lead to CPL 0: the kernel must force the frame
 * back to user privilege or kill the process. Prints, if it survives,
 * the ring it came back at.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <ucontext.h>

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

const struct payload_mode escape_modes[] = {
	{ "forge-cs", "SELECTOR", run_forge_cs },
	{ NULL, NULL, NULL },
};
