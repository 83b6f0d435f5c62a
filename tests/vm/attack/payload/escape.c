// SPDX-License-Identifier: GPL-2.0
/*
 * A ring-0 program handing the kernel addresses and selectors that would
 * send the kernel's own return path somewhere it must not go.
 *
 * cpl3-excursion: iretq to CPL 3 (SS 0x2b, CS 0x33, AC clear) in its own
 *   code, and there: spin (timer interrupts arrive at CPL 3), write a page
 *   never touched before (a page fault at CPL 3), and execute `syscall`
 *   (getpid). Right after it, with no memory access in between, it reads
 *   %cs and sets AC again if it is back at CPL 0. Then prints "at cpl3
 *   cs=0x.." (before the syscall), "after syscall cs=0x..", "getpid:
 *   same|differs", "page: ok|lost" and "survived".
 *
 * bad-return ADDR: enters the direct entry (getpid) with ADDR as the return
 *   address in %rcx. A SIGSEGV handler on an alternate stack exits 42.
 *
 * bad-stack: loads %rsp with 0xffff888000000000 (the kernel half), spins
 *   so that timer interrupts arrive, then loads from address 0. Must die
 *   of the fault; alarm(30) turns a hang into a death by SIGALRM.
 *
 * sigreturn VIA FIELD VALUE: rt_sigreturn of a frame built by hand,
 *   through the syscall instruction (VIA "syscall") or the direct entry
 *   ("entry"). The frame resumes at a landing pad on a stack of its own
 *   with the program's own flags and selectors, except that FIELD ("rip",
 *   "rsp" or "cs") holds VALUE. If the process resumes anywhere, the pad
 *   prints "after sigreturn cpl=N" and "rsp=0x..." (what it arrived with)
 *   and exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "payload.h"

/* Iterations of a register-only loop: a good fraction of a second under TCG. */
#define SPINS (1UL << 27)

#define KERNEL_HALF_STACK 0xffff888000000000UL

static int run_cpl3_excursion(int argc, char **argv)
{
	volatile unsigned char *page;
	unsigned long cs3, cs;
	long pid = getpid(), got;

	alarm(30);
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		fail("mmap: errno=%d", errno);
	/*
	 * From the iretq to the stac nothing may touch memory at CPL 0 with
	 * AC clear (SMAP), and nothing at CPL 3 may make a system call but
	 * the one under test.
	 */
	__asm__ volatile("mov %%rsp, %%rax\n\t"
			 "pushq $0x2b\n\t"		/* SS: __USER_DS */
			 "push %%rax\n\t"		/* RSP as it was */
			 "pushfq\n\t"
			 "andq $~0x40000, (%%rsp)\n\t"	/* AC would be alignment checks at CPL 3 */
			 "pushq $0x33\n\t"		/* CS: __USER_CS */
			 "lea 1f(%%rip), %%rax\n\t"
			 "push %%rax\n\t"
			 "iretq\n"
			 "1: mov %%cs, %[cs3]\n\t"
			 "mov %[spins], %%rcx\n"
			 "2: dec %%rcx\n\t"
			 "jnz 2b\n\t"
			 "movb $0x5a, (%[page])\n\t"
			 "mov %[nr], %%eax\n\t"
			 "syscall\n\t"
			 "mov %%cs, %[cs]\n\t"
			 "test $3, %[cs]\n\t"
			 "jnz 3f\n\t"
			 "stac\n"
			 "3:"
			 : [cs3] "=&r"(cs3), [cs] "=&r"(cs), "=&a"(got)
			 : [page] "r"(page), [spins] "i"(SPINS), [nr] "i"(SYS_getpid)
			 : "rcx", "r11", "memory", "cc");
	say("at cpl3 cs=0x%lx", cs3 & 0xffff);
	say("after syscall cs=0x%lx", cs & 0xffff);
	say("getpid: %s", got == pid ? "same" : "differs");
	say("page: %s", page[0] == 0x5a ? "ok" : "lost");
	say("survived");
	return 0;
}

static void exit_42(int sig)
{
	_exit(42);
}

static int run_bad_return(int argc, char **argv)
{
	static unsigned char altstack[65536];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa = { .sa_handler = exit_42, .sa_flags = SA_ONSTACK };
	unsigned long ret;

	if (argc != 1)
		fail("usage: bad-return ADDR");
	ret = arg_ulong(argv[0], "ADDR");
	need_entry();
	sigemptyset(&sa.sa_mask);
	if (sigaltstack(&ss, NULL) || sigaction(SIGSEGV, &sa, NULL))
		fail("sigaltstack/sigaction: errno=%d", errno);
	say("return address 0x%lx", ret);
	__asm__ volatile("mov %[ret], %%rcx\n\t"
			 "jmp *%[entry]"
			 :
			 : "a"((long)SYS_getpid), [ret] "r"(ret), [entry] "r"(kml_entry)
			 : "rcx", "r11", "memory", "cc");
	say("came back");
	return 1;
}

static int run_bad_stack(int argc, char **argv)
{
	alarm(30);
	say("rsp=0x%lx", KERNEL_HALF_STACK);
	__asm__ volatile("mov %%rsp, %%rbx\n\t"
			 "mov %[bad], %%rsp\n\t"
			 "mov %[spins], %%rcx\n"
			 "1: dec %%rcx\n\t"
			 "jnz 1b\n\t"
			 "mov 0, %%rax\n\t"
			 "mov %%rbx, %%rsp"
			 :
			 : [bad] "r"(KERNEL_HALF_STACK), [spins] "i"(SPINS)
			 : "rax", "rbx", "rcx", "memory", "cc");
	say("survived the fault");
	return 1;
}

/* The landing pad: a stack of its own, whatever %rsp the frame gave. */
unsigned char attack_landing_stack[16384] __attribute__((aligned(16)));
void sigreturn_landing(void);
void sigreturn_landed(unsigned long rsp) __attribute__((noreturn, used));
__asm__(".text\n"
	".globl sigreturn_landing\n"
	".type sigreturn_landing, @function\n"
	"sigreturn_landing:\n\t"
	"mov %rsp, %rdi\n\t"
	"lea attack_landing_stack+16384(%rip), %rsp\n\t"
	"call sigreturn_landed\n\t"
	"ud2\n"
	".size sigreturn_landing, . - sigreturn_landing\n");

void sigreturn_landed(unsigned long rsp)
{
	say("after sigreturn cpl=%d", current_cpl());
	say("rsp=0x%lx", rsp);
	_exit(0);
}

/* rt_sigreturn reads the frame's ucontext at %rsp (its pretcode is popped). */
static ucontext_t forged __attribute__((aligned(64)));

static int run_sigreturn(int argc, char **argv)
{
	greg_t *g = forged.uc_mcontext.gregs;
	unsigned short cs, ss;
	unsigned long value;
	bool entry;

	if (argc != 3 || (strcmp(argv[0], "syscall") && strcmp(argv[0], "entry")))
		fail("usage: sigreturn syscall|entry rip|rsp|cs VALUE");
	entry = !strcmp(argv[0], "entry");
	value = arg_ulong(argv[2], "VALUE");
	if (entry)
		need_entry();

	__asm__ volatile("mov %%cs, %0\n\tmov %%ss, %1" : "=r"(cs), "=r"(ss));
	memset(&forged, 0, sizeof(forged));
	forged.uc_stack.ss_flags = SS_DISABLE;
	if (sigprocmask(SIG_BLOCK, NULL, &forged.uc_sigmask))
		fail("sigprocmask: errno=%d", errno);
	g[REG_RIP] = (greg_t)(uintptr_t)sigreturn_landing;
	g[REG_RSP] = (greg_t)(uintptr_t)(attack_landing_stack + sizeof(attack_landing_stack) - 64);
	g[REG_EFL] = (greg_t)flags_now();
	/* cs, gs, fs, ss: 16 bits each, cs lowest */
	g[REG_CSGSFS] = (greg_t)cs | (greg_t)ss << 48;

	if (!strcmp(argv[1], "rip"))
		g[REG_RIP] = (greg_t)value;
	else if (!strcmp(argv[1], "rsp"))
		g[REG_RSP] = (greg_t)value;
	else if (!strcmp(argv[1], "cs"))
		g[REG_CSGSFS] = (g[REG_CSGSFS] & ~(greg_t)0xffff) | (greg_t)(value & 0xffff);
	else
		fail("sigreturn: unknown field '%s'", argv[1]);
	say("sigreturn via %s, %s=0x%lx", argv[0], argv[1], value);

	if (entry)
		__asm__ volatile("mov %[uc], %%rsp\n\t"
				 "mov %[nr], %%eax\n\t"
				 "lea 1f(%%rip), %%rcx\n\t"
				 "jmp *%[entry]\n"
				 "1: ud2"
				 :
				 : [uc] "r"(&forged), [nr] "i"(SYS_rt_sigreturn),
				   [entry] "r"(kml_entry)
				 : "rax", "rcx", "r11", "memory");
	else
		__asm__ volatile("mov %[uc], %%rsp\n\t"
				 "mov %[nr], %%eax\n\t"
				 "syscall\n\t"
				 "ud2"
				 :
				 : [uc] "r"(&forged), [nr] "i"(SYS_rt_sigreturn)
				 : "rax", "rcx", "r11", "memory");
	__builtin_unreachable();
}

const struct mode escape_modes[] = {
	{ "cpl3-excursion", "", run_cpl3_excursion },
	{ "bad-return", "ADDR", run_bad_return },
	{ "bad-stack", "", run_bad_stack },
	{ "sigreturn", "syscall|entry rip|rsp|cs VALUE", run_sigreturn },
	{ NULL, NULL, NULL },
};
