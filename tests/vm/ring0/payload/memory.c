// SPDX-License-Identifier: GPL-2.0
/*
 * The application's own stack at CPL 0: it grows on demand like a user
 * stack, and the 128 bytes below %rsp (the red zone of the x86-64 ABI)
 * are not touched by interrupts, which a CPU at CPL 0 would otherwise push
 * right there.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "payload.h"

#define FRAME (64 * 1024)

/*
 * Each call owns 64 KiB of stack, writes a pattern into every page of it
 * on the way down and checks it on the way back up, so the stack grows a
 * page fault at a time, 16 pages per frame.
 */
static long __attribute__((noipa)) grow(int depth, int frames)
{
	volatile unsigned char frame[FRAME];
	long bad = 0;
	size_t i;

	for (i = 0; i < FRAME; i += 4096)
		frame[FRAME - 1 - i] = (unsigned char)(depth + i / 4096);
	if (depth + 1 < frames)
		bad = grow(depth + 1, frames);
	for (i = 0; i < FRAME; i += 4096)
		if (frame[FRAME - 1 - i] != (unsigned char)(depth + i / 4096))
			bad++;
	return bad;
}

/* stack-grow MB: grows the stack by MB megabytes and checks every page. */
static int run_stack_grow(int argc, char **argv)
{
	long mb = argc > 0 ? arg_long(argv[0], "MB") : 6;
	struct rlimit rl;
	long bad;

	say("cpl=%d", current_cpl());
	if (getrlimit(RLIMIT_STACK, &rl))
		fail("getrlimit: %s", strerror(errno));
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)(mb + 2) << 20) {
		rl.rlim_cur = (rlim_t)(mb + 2) << 20;
		if (setrlimit(RLIMIT_STACK, &rl))
			fail("stack limit too small for %ld MB: %s", mb, strerror(errno));
	}
	bad = grow(0, (int)(mb * 1024 * 1024 / FRAME));
	say("stack grew by %ld MB", mb);
	say("stack pages intact: %s", bad ? "no" : "yes");
	return bad ? 1 : 0;
}

/*
 * One block: steps 256 bytes down (past any red-zone data the compiler
 * keeps for this function), writes 16 distinct quadwords at -8..-128 from
 * the new %rsp, then re-reads all of them `rounds` times. Only register
 * operands, no call, no push: nothing but an interrupt can write there.
 * Returns how many quadword reads did not match.
 */
static unsigned long redzone_block(unsigned long rounds, uint64_t seed, int clobber)
{
	unsigned long bad = 0;

	__asm__ volatile(
		"lea -256(%%rsp), %%rsp\n"
		"mov %[seed], %%rax\n"
		"mov $1, %%ecx\n"
		"1:\n"
		"mov %%rcx, %%rdx\n"
		"neg %%rdx\n"
		"mov %%rax, (%%rsp,%%rdx,8)\n"
		"add %[step], %%rax\n"
		"inc %%ecx\n"
		"cmp $16, %%ecx\n"
		"jbe 1b\n"
		/* The checker's self-test: a push lands in the red zone. */
		"test %[clobber], %[clobber]\n"
		"jz 5f\n"
		"push %%rax\n"
		"pop %%rax\n"
		"5:\n"
		"mov %[rounds], %%r8\n"
		"2:\n"
		"mov %[seed], %%rax\n"
		"mov $1, %%ecx\n"
		"3:\n"
		"mov %%rcx, %%rdx\n"
		"neg %%rdx\n"
		"cmp %%rax, (%%rsp,%%rdx,8)\n"
		"je 4f\n"
		"inc %[bad]\n"
		"4:\n"
		"add %[step], %%rax\n"
		"inc %%ecx\n"
		"cmp $16, %%ecx\n"
		"jbe 3b\n"
		"dec %%r8\n"
		"jnz 2b\n"
		"lea 256(%%rsp), %%rsp\n"
		: [bad] "+r"(bad)
		: [seed] "r"(seed), [step] "r"(0x9e3779b97f4a7c15ULL), [rounds] "r"(rounds),
		  [clobber] "r"(clobber)
		: "rax", "rcx", "rdx", "r8", "cc", "memory");
	return bad;
}

/*
 * redzone [MS [clobber]]: keeps live data in the red zone for MS
 * milliseconds (default 500) of tight loops and reports whether any of it
 * changed. With "clobber", each block pushes into its own red zone once,
 * to show that the check notices.
 */
static int run_redzone(int argc, char **argv)
{
	long ms = argc > 0 ? arg_long(argv[0], "MS") : 500;
	int clobber = argc > 1 && !strcmp(argv[1], "clobber");
	unsigned long rounds = 1000, bad = 0, blocks = 0;
	int64_t start, t0, spent;
	struct rusage ru;

	say("cpl=%d", current_cpl());
	/* Size the blocks to about 10 ms each, so most ticks land inside one. */
	t0 = now_ms();
	bad += redzone_block(rounds, 1, clobber);
	spent = now_ms() - t0;
	while (spent < 2 && rounds < (1UL << 30)) {
		rounds *= 4;
		t0 = now_ms();
		bad += redzone_block(rounds, 2, clobber);
		spent = now_ms() - t0;
	}
	if (spent < 10)
		rounds = rounds * 10 / (spent ? spent : 1);
	start = now_ms();
	while (now_ms() - start < ms) {
		bad += redzone_block(rounds, 0x1234567800000000ULL + blocks, clobber);
		blocks++;
	}
	getrusage(RUSAGE_SELF, &ru);
	say("red zone checked for %ld ms", ms);
	say("red zone intact: %s", bad ? "no" : "yes");
	if (bad && !clobber)
		say("red zone bad reads: %lu in %lu blocks", bad, blocks);
	say("preempted: %s", ru.ru_nivcsw > 0 ? "yes" : "no");
	return bad ? 1 : 0;
}

const struct payload_mode memory_modes[] = {
	{ "stack-grow", "[MB]", run_stack_grow },
	{ "redzone", "[MS [clobber]]", run_redzone },
	{ NULL, NULL, NULL },
};
