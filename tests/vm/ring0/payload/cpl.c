// SPDX-License-Identifier: GPL-2.0
/*
 * Modes that show which ring the payload runs at, and ones that just sit
 * there (sleeping or spinning) for the tests that act on a running task.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "payload.h"

/* cpl: prints "cpl=N". The probe every ring-0 test starts with. */
static int run_cpl(int argc, char **argv)
{
	say("cpl=%d", current_cpl());
	return 0;
}

/*
 * cr0: reads %cr0, which only CPL 0 may do: at CPL 3 the mov raises #GP
 * and, with no handler installed, the payload dies of SIGSEGV. At CPL 0 it
 * prints the protected-mode and paging bits, both set in any 64-bit kernel.
 */
static int run_cr0(int argc, char **argv)
{
	unsigned long cr0;

	say("cpl=%d", current_cpl());
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	say("cr0 PE=%lu PG=%lu", cr0 & 1, (cr0 >> 31) & 1);
	return 0;
}

/*
 * cr4: the same with %cr4; prints the PAE bit (set in long mode) and the
 * SMEP bit, which must be clear while the task's own code runs (also with
 * kml_strict_smep, where the kernel turns it on at every entry).
 */
static int run_cr4(int argc, char **argv)
{
	unsigned long cr4;

	say("cpl=%d", current_cpl());
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	say("cr4 PAE=%lu SMEP=%lu", (cr4 >> 5) & 1, (cr4 >> 20) & 1);
	return 0;
}

/* sleep: prints "ready", then blocks reading stdin until EOF. */
static int run_sleep(int argc, char **argv)
{
	char buf[64];
	ssize_t n;

	say("cpl=%d", current_cpl());
	say("ready");
	do
		n = read(STDIN_FILENO, buf, sizeof(buf));
	while (n > 0 || (n < 0 && errno == EINTR));
	say("stdin closed");
	return 0;
}

/*
 * spin [MS]: prints "spinning", then loops without a system call: forever,
 * or for MS milliseconds of wall time (then prints "done").
 */
static int run_spin(int argc, char **argv)
{
	long ms = argc > 0 ? arg_long(argv[0], "MS") : -1;
	int64_t end;

	say("cpl=%d", current_cpl());
	say("spinning");
	if (ms < 0)
		for (;;)
			__asm__ volatile("" ::: "memory");
	end = now_ms() + ms;
	while (now_ms() < end)
		;
	say("done");
	return 0;
}

static unsigned long read_msr(unsigned int msr)
{
	unsigned int lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((unsigned long)hi << 32) | lo;
}

/*
 * migrate MOVES: moves itself MOVES times from one online CPU to the next
 * (pinned to one at a time) and, after each move, reads both GS base MSRs,
 * which only CPL 0 may do. A ring-0 task's are both the per-CPU base of
 * the CPU it is on, whichever CPU it last ran on: a stale one would be
 * loaded by the swapgs of its next syscall instruction. Prints
 * "cpus=C", then "moves=M agree=A changed=D": A moves after which the two
 * bases were equal, D after which they differed from the last CPU's.
 */
static int run_migrate(int argc, char **argv)
{
	long moves = arg_long(argc > 0 ? argv[0] : NULL, "MOVES");
	unsigned long last = 0;
	int cpus[64], ncpus = 0;
	long agree = 0, changed = 0, i;
	cpu_set_t set;

	say("cpl=%d", current_cpl());
	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		fail("sched_getaffinity: %s", strerror(errno));
	for (i = 0; i < CPU_SETSIZE && ncpus < 64; i++)
		if (CPU_ISSET(i, &set))
			cpus[ncpus++] = i;
	say("cpus=%d", ncpus);
	for (i = 0; i < moves; i++) {
		unsigned int cpu = ~0u;
		unsigned long gs, kernel_gs;

		CPU_ZERO(&set);
		CPU_SET(cpus[i % ncpus], &set);
		if (sched_setaffinity(0, sizeof(set), &set) != 0)
			fail("sched_setaffinity: %s", strerror(errno));
		if (syscall(SYS_getcpu, &cpu, NULL, NULL) != 0)
			fail("getcpu: %s", strerror(errno));
		if (cpu != (unsigned int)cpus[i % ncpus])
			fail("on CPU %u, pinned to %d", cpu, cpus[i % ncpus]);
		gs = read_msr(0xc0000101);		/* MSR_GS_BASE */
		kernel_gs = read_msr(0xc0000102);	/* MSR_KERNEL_GS_BASE */
		agree += gs == kernel_gs;
		changed += i > 0 && gs != last;
		last = gs;
	}
	say("moves=%ld agree=%ld changed=%ld", moves, agree, changed);
	return 0;
}

const struct payload_mode cpl_modes[] = {
	{ "cpl", "", run_cpl },
	{ "cr0", "", run_cr0 },
	{ "cr4", "", run_cr4 },
	{ "sleep", "", run_sleep },
	{ "spin", "[MS]", run_spin },
	{ "migrate", "MOVES", run_migrate },
	{ NULL, NULL, NULL },
};
