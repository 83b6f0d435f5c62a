// SPDX-License-Identifier: GPL-2.0
/*
 * fpu xmm|ymm SEED [MS [wait]]: keeps a pattern derived from SEED live in
 * the vector registers and checks it in a tight loop for MS milliseconds
 * (default 500). With "wait", it prints "ready" and waits for a byte on
 * stdin first, so that two of them can start together. With "clobber",
 * it changes one register itself, to show that the check notices. Two payloads with different seeds on one CPU take turns
 * on it; each must find its own registers as it left them, whatever ring
 * the other one runs at.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "payload.h"

/* xmm0..xmm14 (or ymm) hold the pattern; xmm15 is the scratch register. */
#define NREGS 15

#define XLOAD(n) "movdqa " #n "*16(%[pat]), %%xmm" #n "\n"
#define XCHECK(n) "movdqa %%xmm" #n ", %%xmm15\n" \
	"pcmpeqb " #n "*16(%[pat]), %%xmm15\n" \
	"pmovmskb %%xmm15, %%eax\n" \
	"cmp $0xffff, %%eax\n" \
	"jne 2f\n"
#define YLOAD(n) "vmovdqa " #n "*32(%[pat]), %%ymm" #n "\n"
#define YCHECK(n) "vpcmpeqb " #n "*32(%[pat]), %%ymm" #n ", %%ymm15\n" \
	"vpmovmskb %%ymm15, %%eax\n" \
	"cmp $-1, %%eax\n" \
	"jne 2f\n"
#define ALL15(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7) M(8) M(9) \
	M(10) M(11) M(12) M(13) M(14)
#define VCLOBBERS "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", \
	"xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"

static unsigned char pattern[NREGS * 32] __attribute__((aligned(64)));

/* Returns 0 when every register matched in every round, 1 otherwise. */
static int clobber;

static int xmm_block(unsigned long rounds)
{
	int bad;

	__asm__ volatile(ALL15(XLOAD)
			 /* The checker's self-test: change one register. */
			 "test %[clobber], %[clobber]\n"
			 "jz 4f\n"
			 "pcmpeqb %%xmm15, %%xmm15\n"
			 "pxor %%xmm15, %%xmm3\n"
			 "4:\n"
			 "mov %[rounds], %%r8\n"
			 "1:\n"
			 ALL15(XCHECK)
			 "dec %%r8\n"
			 "jnz 1b\n"
			 "xor %%eax, %%eax\n"
			 "jmp 3f\n"
			 "2: mov $1, %%eax\n"
			 "3:\n"
			 : "=&a"(bad)
			 : [pat] "r"(pattern), [rounds] "r"(rounds), [clobber] "r"(clobber)
			 : "r8", "cc", "memory", VCLOBBERS);
	return bad;
}

static int __attribute__((target("avx2"))) ymm_block(unsigned long rounds)
{
	int bad;

	__asm__ volatile(ALL15(YLOAD)
			 "test %[clobber], %[clobber]\n"
			 "jz 4f\n"
			 "vpcmpeqb %%ymm15, %%ymm15, %%ymm15\n"
			 "vpxor %%ymm15, %%ymm3, %%ymm3\n"
			 "4:\n"
			 "mov %[rounds], %%r8\n"
			 "1:\n"
			 ALL15(YCHECK)
			 "dec %%r8\n"
			 "jnz 1b\n"
			 "xor %%eax, %%eax\n"
			 "jmp 3f\n"
			 "2: mov $1, %%eax\n"
			 "3:\n"
			 "vzeroupper\n"
			 : "=&a"(bad)
			 : [pat] "r"(pattern), [rounds] "r"(rounds), [clobber] "r"(clobber)
			 : "r8", "cc", "memory", VCLOBBERS);
	return bad;
}

static int run_fpu(int argc, char **argv)
{
	int (*block)(unsigned long);
	unsigned long rounds = 100, blocks = 0;
	long seed, ms;
	int64_t start, t0, spent;
	struct rusage ru;
	int bad = 0;
	size_t i;

	if (argc < 2 || (strcmp(argv[0], "xmm") && strcmp(argv[0], "ymm")))
		fail("usage: fpu xmm|ymm SEED [MS [wait|clobber]]");
	seed = arg_long(argv[1], "SEED");
	ms = argc > 2 ? arg_long(argv[2], "MS") : 500;
	clobber = argc > 3 && !strcmp(argv[3], "clobber");
	say("cpl=%d", current_cpl());
	if (!strcmp(argv[0], "ymm")) {
		__builtin_cpu_init();
		if (!__builtin_cpu_supports("avx2")) {
			say("avx2: unsupported");
			return 0;
		}
		block = ymm_block;
	} else {
		block = xmm_block;
	}
	if (argc > 3 && !strcmp(argv[3], "wait")) {
		char go;

		say("ready");
		if (read(STDIN_FILENO, &go, 1) != 1)
			fail("no start byte on stdin");
	}
	/* Every byte differs between registers, lanes and seeds. */
	for (i = 0; i < sizeof(pattern); i++)
		pattern[i] = (unsigned char)(seed * 37 + i * 11 + (i >> 4) * 5);

	t0 = now_ms();
	bad |= block(rounds);
	spent = now_ms() - t0;
	while (spent < 2 && rounds < (1UL << 30)) {
		rounds *= 4;
		t0 = now_ms();
		bad |= block(rounds);
		spent = now_ms() - t0;
	}
	if (spent < 10)
		rounds = rounds * 10 / (spent ? spent : 1);
	start = now_ms();
	while (!bad && now_ms() - start < ms) {
		bad |= block(rounds);
		blocks++;
	}
	getrusage(RUSAGE_SELF, &ru);
	say("%s state intact: %s", argv[0], bad ? "no" : "yes");
	say("preempted: %s", ru.ru_nivcsw > 0 ? "yes" : "no");
	return bad ? 1 : 0;
}

const struct payload_mode fpu_modes[] = {
	{ "fpu", "xmm|ymm SEED [MS [wait|clobber]]", run_fpu },
	{ NULL, NULL, NULL },
};
