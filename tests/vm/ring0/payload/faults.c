// SPDX-License-Identifier: GPL-2.0
/*
 * fault KIND handled|unhandled: executes one faulting instruction.
 *
 * Each fault sits at a known address (a global asm label, KIND_insn) with
 * a known place to continue (KIND_resume), so the handler can report
 * si_addr relative to the instruction or its target and then resume the
 * payload by rewriting the saved RIP: a fault at CPL 0 must come back
 * through sigreturn exactly as one at CPL 3 does.
 *
 * handled:   a SA_SIGINFO handler on an alternate stack prints
 *              signal=NAME code=NAME addr=WHERE
 *              handler cpl=N
 *              saved rip=WHERE
 *            and resumes after the instruction ("resumed"); for "stack"
 *            (no way back) it exits 0 from the handler.
 * unhandled: default action; the test expects death by the signal.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <ucontext.h>
#include <unistd.h>

#include "payload.h"
#include "faults.h"

/* Labels defined by the asm statements below. */
extern char null_insn[], null_resume[];
extern char readonly_insn[], readonly_resume[];
extern char div0_insn[], div0_resume[];
extern char ud2_insn[], ud2_resume[];
extern char int3_insn[], int3_resume[];

static void *readonly_page;
static volatile uintptr_t stack_deepest;
static volatile int report = 1;
volatile unsigned long faults_caught;

static void __attribute__((noipa)) do_null(void)
{
	long v;

	__asm__ volatile(".globl null_insn, null_resume\n"
			 "null_insn: mov (%1), %0\n"
			 "null_resume:\n"
			 : "=&r"(v) : "r"(0L) : "memory");
}

static void __attribute__((noipa)) do_readonly(void)
{
	__asm__ volatile(".globl readonly_insn, readonly_resume\n"
			 "readonly_insn: movb $1, (%0)\n"
			 "readonly_resume:\n"
			 : : "r"(readonly_page) : "memory");
}

static void __attribute__((noipa)) do_div0(void)
{
	__asm__ volatile(".globl div0_insn, div0_resume\n"
			 "xor %%edx, %%edx\n"
			 "mov $1, %%eax\n"
			 "div0_insn: div %%ecx\n"
			 "div0_resume:\n"
			 : : "c"(0) : "rax", "rdx", "memory");
}

static void __attribute__((noipa)) do_ud2(void)
{
	__asm__ volatile(".globl ud2_insn, ud2_resume\n"
			 "ud2_insn: ud2\n"
			 "ud2_resume:\n" ::: "memory");
}

static void __attribute__((noipa)) do_int3(void)
{
	__asm__ volatile(".globl int3_insn, int3_resume\n"
			 "int3_insn: int3\n"
			 "int3_resume:\n" ::: "memory");
}

/* Each frame owns a page of stack and touches it, so the stack must grow. */
static int __attribute__((noipa)) recurse(int depth)
{
	volatile char frame[4096];

	frame[0] = (char)depth;
	frame[sizeof(frame) - 1] = (char)depth;
	stack_deepest = (uintptr_t)frame;
	if (depth > (1 << 22)) /* 16 GiB of stack: never reached */
		return 0;
	return recurse(depth + 1) + frame[0];
}

static void do_stack(void)
{
	struct rlimit rl;

	/* Bound the overflow even where the stack limit is unlimited. */
	if (!getrlimit(RLIMIT_STACK, &rl) &&
	    (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 4UL << 20)) {
		rl.rlim_cur = 4UL << 20;
		setrlimit(RLIMIT_STACK, &rl);
	}
	recurse(0);
}

static const struct fault_kind {
	const char *name;
	void (*trigger)(void);
	char *insn, *resume;
} kinds[] = {
	{ "null", do_null, null_insn, null_resume },
	{ "readonly", do_readonly, readonly_insn, readonly_resume },
	{ "div0", do_div0, div0_insn, div0_resume },
	{ "ud2", do_ud2, ud2_insn, ud2_resume },
	{ "int3", do_int3, int3_insn, int3_resume },
	{ "stack", do_stack, NULL, NULL },
};

static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGFPE: return "SIGFPE";
	case SIGILL: return "SIGILL";
	case SIGTRAP: return "SIGTRAP";
	}
	return "other";
}

static const char *code_name(int sig, int code)
{
	if (code == SI_KERNEL)
		return "SI_KERNEL";
	if (sig == SIGSEGV && code == SEGV_MAPERR)
		return "SEGV_MAPERR";
	if (sig == SIGSEGV && code == SEGV_ACCERR)
		return "SEGV_ACCERR";
	if (sig == SIGFPE && code == FPE_INTDIV)
		return "FPE_INTDIV";
	if (sig == SIGILL && code == ILL_ILLOPN)
		return "ILL_ILLOPN";
	if (sig == SIGTRAP && code == TRAP_BRKPT)
		return "TRAP_BRKPT";
	return "other";
}

/* Names an address by what it is to this fault. */
static void where(char *out, size_t size, uintptr_t a, const struct fault_kind *k)
{
	if (a == 0)
		snprintf(out, size, "0");
	else if (k->insn && a == (uintptr_t)k->insn)
		snprintf(out, size, "insn");
	else if (k->resume && a == (uintptr_t)k->resume)
		snprintf(out, size, "resume");
	else if (readonly_page && a == (uintptr_t)readonly_page)
		snprintf(out, size, "target");
	else if (!k->insn && stack_deepest && a < stack_deepest + 65536 &&
		 a + 65536 > stack_deepest)
		snprintf(out, size, "stack-limit");
	else
		snprintf(out, size, "%#lx", (unsigned long)a);
}

static const struct fault_kind *current;

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	uintptr_t rip = uc->uc_mcontext.gregs[REG_RIP];
	char addr[32], saved[32];

	faults_caught++;
	if (report) {
		where(addr, sizeof(addr), (uintptr_t)si->si_addr, current);
		where(saved, sizeof(saved), rip, current);
		say("signal=%s code=%s addr=%s", signal_name(sig), code_name(sig, si->si_code), addr);
		say("handler cpl=%d", current_cpl());
		say("saved rip=%s", current->insn ? saved : "stack");
	}
	if (!current->resume)
		_exit(0);
	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)current->resume;
}

static const int fault_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP };

void faults_setup(int handled, int quiet)
{
	size_t altsize = 256 * 1024;
	stack_t ss = { .ss_size = altsize };
	size_t i;

	report = !quiet;
	readonly_page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (readonly_page == MAP_FAILED)
		fail("mmap: %s", strerror(errno));
	if (!handled)
		return;
	ss.ss_sp = mmap(NULL, altsize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ss.ss_sp == MAP_FAILED || sigaltstack(&ss, NULL))
		fail("sigaltstack: %s", strerror(errno));
	for (i = 0; i < ARRAY_SIZE(fault_signals); i++)
		on_signal(fault_signals[i], on_fault, SA_ONSTACK | SA_NODEFER);
}

int fault_trigger(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (!strcmp(kinds[i].name, name)) {
			current = &kinds[i];
			kinds[i].trigger();
			return 0;
		}
	}
	return -1;
}

static int run_fault(int argc, char **argv)
{
	int handled;

	if (argc != 2 || (strcmp(argv[1], "handled") && strcmp(argv[1], "unhandled"))) {
		say("usage: fault null|readonly|stack|div0|ud2|int3 handled|unhandled");
		return 2;
	}
	handled = !strcmp(argv[1], "handled");
	say("cpl=%d", current_cpl());
	faults_setup(handled, 0);
	if (fault_trigger(argv[0])) {
		say("unknown fault '%s'", argv[0]);
		return 2;
	}
	say(handled ? "resumed" : "survived an unhandled fault");
	return handled ? 0 : 1;
}

const struct payload_mode fault_modes[] = {
	{ "fault", "null|readonly|stack|div0|ud2|int3 handled|unhandled", run_fault },
	{ NULL, NULL, NULL },
};
