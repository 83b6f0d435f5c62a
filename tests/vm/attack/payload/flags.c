// SPDX-License-Identifier: GPL-2.0
/*
 * RFLAGS a ring-0 program can hand the kernel through its entry, where no
 * `syscall` instruction masks them (a ring-3 program cannot set IOPL, and
 * its `syscall` clears DF, NT, AC, TF, ...).
 *
 * flags FLAG KIND: calls getppid, then read() of 100 bytes from a pipe
 *   into a buffer between guard bytes, through the entry with FLAG set:
 *     df    DF=1 (std)
 *     nt    NT=1 (popf)
 *     iopl  IOPL=3 (popf, which CPL 0 may do)
 *     ac    AC=0 (clac right before the jump; stac right after)
 *     rf    RF=1 (an iretq straight into the entry)
 *     tf    TF=1 (popf), with a SIGTRAP handler counting traps
 *   Each answer must equal the syscall instruction's, read() must fill
 *   exactly the buffer, and the flags must come back as they were:
 *   all of them (KIND "direct") or all but the status flags (KIND
 *   "bypass", which clobbers those). TF: at least one SIGTRAP, and once
 *   TF is clear again the entry still answers. Prints "flags FLAG: ok".
 *
 * flags-block N: N rounds of a 200 us nanosleep and a read() of one byte
 *   from a pipe that a forked child fills once per 300 us, both through
 *   the direct entry with DF=1 and NT=1: calls that block, so the task is
 *   switched out in the kernel with whatever flags the kernel runs with.
 *   Prints "flags-block: ok".
 *
 * pingpong: for a ring-3 process on the CPU of flags-block: prints
 *   "ready", then sends 4 KiB blocks to a forked child through one pipe
 *   and back through another, both sides checking every byte, until stdin
 *   reaches EOF; "pingpong: ok".
 *
 * clac-touch: clears AC itself and loads a word of its own data (SMAP
 *   forbids that at CPL 0). Must die of SIGSEGV; alarm(5) turns a hang
 *   into a death by SIGALRM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "payload.h"

/* How the flag under test gets into RFLAGS just before the entry. */
enum how { BY_POPF, BY_IRETQ, BY_CLAC };

struct flagged {
	long ret;
	unsigned long before;	/* RFLAGS at the jump (RF never shows) */
	unsigned long after;	/* RFLAGS right after the return */
};

/*
 * One call through the entry with extra RFLAGS bits @set (BY_POPF), RF
 * (BY_IRETQ) or AC cleared (BY_CLAC); the caller's own flags are restored
 * afterwards. %r12-%r15 survive the entry, as every register but %rax,
 * %rcx and %r11 does.
 */
static struct flagged flagged_call(enum how how, unsigned long set, long nr,
				   long a0, long a1, long a2)
{
	register long rax __asm__("rax") = nr;
	register long rdi __asm__("rdi") = a0;
	register long rsi __asm__("rsi") = a1;
	register long rdx __asm__("rdx") = a2;
	register unsigned long entry __asm__("r12") = kml_entry;
	register unsigned long before __asm__("r13") = set;
	register unsigned long saved __asm__("r14");
	register unsigned long after __asm__("r15");

	switch (how) {
	case BY_POPF:
		__asm__ volatile("pushfq\n\t"
				 "pop %[saved]\n\t"
				 "mov %[saved], %[after]\n\t"
				 "or %[before], %[after]\n\t"
				 "push %[after]\n\t"
				 "popfq\n\t"
				 "pushfq\n\t"
				 "pop %[before]\n"
				 "0: lea 1f(%%rip), %%rcx\n\t"
				 "jmp *%[entry]\n\t"
				 "jmp 0b\n"
				 "1: pushfq\n\t"
				 "pop %[after]\n\t"
				 "push %[saved]\n\t"
				 "popfq"
				 : "+r"(rax), [before] "+r"(before), [saved] "=&r"(saved),
				   [after] "=&r"(after)
				 : "r"(rdi), "r"(rsi), "r"(rdx), [entry] "r"(entry)
				 : "rcx", "r11", "memory", "cc");
		break;
	case BY_IRETQ:
		__asm__ volatile("pushfq\n\t"
				 "pop %[saved]\n\t"
				 "mov %[saved], %[before]\n\t"
				 "mov %%rsp, %[after]\n\t"
				 "mov %%ss, %%ecx\n\t"
				 "push %%rcx\n\t"		/* SS */
				 "push %[after]\n\t"		/* RSP as it was */
				 "push %[saved]\n\t"
				 "orq $0x10000, (%%rsp)\n\t"	/* RFLAGS with RF */
				 "mov %%cs, %%ecx\n\t"
				 "push %%rcx\n\t"		/* CS */
				 "push %[entry]\n\t"		/* RIP: the entry */
				 "lea 1f(%%rip), %%rcx\n\t"
				 "iretq\n"
				 /* a restart comes back the ordinary way */
				 "0: lea 1f(%%rip), %%rcx\n\t"
				 "jmp *%[entry]\n\t"
				 "jmp 0b\n"
				 "1: pushfq\n\t"
				 "pop %[after]\n\t"
				 "push %[saved]\n\t"
				 "popfq"
				 : "+r"(rax), [before] "+r"(before), [saved] "=&r"(saved),
				   [after] "=&r"(after)
				 : "r"(rdi), "r"(rsi), "r"(rdx), [entry] "r"(entry)
				 : "rcx", "r11", "memory", "cc");
		break;
	case BY_CLAC:
		/* No memory access at all between clac and stac: SMAP. */
		__asm__ volatile("pushfq\n\t"
				 "pop %[saved]\n\t"
				 "mov %[saved], %[before]\n"
				 "0: lea 1f(%%rip), %%rcx\n\t"
				 "clac\n\t"
				 "jmp *%[entry]\n\t"
				 "jmp 0b\n"
				 "1: stac\n\t"
				 "pushfq\n\t"
				 "pop %[after]\n\t"
				 "push %[saved]\n\t"
				 "popfq"
				 : "+r"(rax), [before] "+r"(before), [saved] "=&r"(saved),
				   [after] "=&r"(after)
				 : "r"(rdi), "r"(rsi), "r"(rdx), [entry] "r"(entry)
				 : "rcx", "r11", "memory", "cc");
		break;
	}
	return (struct flagged){ .ret = rax, .before = before, .after = after };
}

/* 100 bytes between guards: a backwards copy (DF=1) writes into lo[]. */
#define GUARDED_LEN 100
#define GUARD 0xa5

struct guarded {
	unsigned char lo[64];
	unsigned char buf[GUARDED_LEN];
	unsigned char hi[64];
};

static unsigned char pattern(long i)
{
	return (unsigned char)(i * 7 + 3);
}

static void guarded_reset(struct guarded *g)
{
	memset(g, GUARD, sizeof(*g));
}

/*
 * Whether buf[0..n) holds pattern(first + i) and every other byte is a
 * guard; says which byte is wrong if not.
 */
static bool guarded_holds(const struct guarded *g, long n, long first)
{
	const unsigned char *p = (const unsigned char *)g;
	size_t i;

	for (i = 0; i < sizeof(*g); i++) {
		long at = (long)i - (long)sizeof(g->lo);
		unsigned char want = at >= 0 && at < n ? pattern(first + at) : GUARD;

		if (p[i] != want) {
			say("FAIL byte %ld of the buffer (guards at <0 and >=%ld): 0x%02x, want 0x%02x",
			    at, n, p[i], want);
			return false;
		}
	}
	return true;
}

static void fill_pipe(int fd, long n, long first)
{
	unsigned char buf[GUARDED_LEN];
	long i;

	for (i = 0; i < n; i++)
		buf[i] = pattern(first + i);
	if (write(fd, buf, n) != n)
		fail("write to the pipe: errno=%d", errno);
}

static volatile sig_atomic_t traps;

static void on_trap(int sig)
{
	traps++;
}

struct flag_case {
	const char *name;
	enum how how;
	unsigned long set;
};

static const struct flag_case flag_cases[] = {
	{ "df", BY_POPF, FLAG_DF },
	{ "nt", BY_POPF, FLAG_NT },
	{ "iopl", BY_POPF, FLAG_IOPL3 },
	{ "ac", BY_CLAC, 0 },
	{ "rf", BY_IRETQ, 0 },
	{ "tf", BY_POPF, FLAG_TF },
};

static int failures;

static void check(bool ok, const char *what, long got, long want)
{
	if (!ok) {
		say("FAIL %s: got %ld (0x%lx), want %ld", what, got, got, want);
		failures++;
	}
}

/* The flags came back as they went in, except what @ignore names. */
static void check_flags(const char *what, const struct flagged *f, unsigned long ignore)
{
	unsigned long diff = (f->before ^ f->after) & ~(ignore | FLAG_RF);

	if (diff) {
		say("FAIL %s: RFLAGS 0x%lx at the jump, 0x%lx after the return (changed 0x%lx)",
		    what, f->before, f->after, diff);
		failures++;
	}
}

static int run_flags(int argc, char **argv)
{
	const struct flag_case *fc = NULL;
	unsigned long ignore, after;
	struct guarded g;
	struct flagged f;
	long ppid = getppid(), got;
	int pfd[2];
	size_t i;

	if (argc != 2 || (strcmp(argv[1], "direct") && strcmp(argv[1], "bypass")))
		fail("usage: flags df|nt|iopl|ac|rf|tf direct|bypass");
	for (i = 0; i < ARRAY_SIZE(flag_cases); i++)
		if (!strcmp(argv[0], flag_cases[i].name))
			fc = &flag_cases[i];
	if (!fc)
		fail("flags: unknown flag '%s'", argv[0]);
	need_entry();
	if (fc->how == BY_CLAC && !cpu_has_smap()) {
		say("no SMAP on this CPU");
		return 4;
	}
	/* The bypass clobbers the status flags; TF is the kernel's to manage. */
	ignore = !strcmp(argv[1], "bypass") ? FLAGS_STATUS : 0;
	if (fc->set == FLAG_TF) {
		struct sigaction sa = { .sa_handler = on_trap };

		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGTRAP, &sa, NULL))
			fail("sigaction: errno=%d", errno);
		ignore |= FLAG_TF;
	}
	if (pipe(pfd))
		fail("pipe: errno=%d", errno);

	f = flagged_call(fc->how, fc->set, SYS_getppid, 0, 0, 0);
	check((f.before & fc->set) == fc->set, "setting the flag", f.before, fc->set);
	check(f.ret == ppid, "getppid", f.ret, ppid);
	check_flags("getppid", &f, ignore);

	guarded_reset(&g);
	fill_pipe(pfd[1], GUARDED_LEN, 0);
	f = flagged_call(fc->how, fc->set, SYS_read, pfd[0], (long)g.buf, GUARDED_LEN);
	check(f.ret == GUARDED_LEN, "read", f.ret, GUARDED_LEN);
	failures += !guarded_holds(&g, GUARDED_LEN, 0);
	check_flags("read", &f, ignore);

	if (fc->set == FLAG_TF)
		check(traps > 0, "SIGTRAPs while TF was set", traps, 1);
	/* Flags as they were: the program goes on. */
	after = flags_now() & (FLAG_TF | FLAG_DF | FLAG_NT | FLAG_IOPL3);
	check(!after, "flags afterwards", after, 0);
	got = entry_call(SYS_getppid, 0, 0, 0);
	check(got == ppid, "getppid afterwards", got, ppid);
	if (failures)
		return 1;
	say("flags %s: ok", fc->name);
	return 0;
}

static int run_flags_block(int argc, char **argv)
{
	const unsigned long bad = FLAG_DF | FLAG_NT;
	long rounds = argc == 1 ? (long)arg_ulong(argv[0], "N") : -1, i;
	struct timespec nap = { .tv_nsec = 200 * 1000 };
	struct flagged f;
	struct guarded g;
	int pfd[2], status;
	pid_t feeder;

	if (rounds < 1)
		fail("usage: flags-block N");
	need_entry();
	if (pipe(pfd))
		fail("pipe: errno=%d", errno);
	feeder = fork();
	if (feeder < 0)
		fail("fork: errno=%d", errno);
	if (feeder == 0) {
		struct timespec gap = { .tv_nsec = 300 * 1000 };

		for (i = 0; i < rounds; i++) {
			unsigned char b = pattern(i);

			nanosleep(&gap, NULL);
			if (write(pfd[1], &b, 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	for (i = 0; i < rounds; i++) {
		f = flagged_call(BY_POPF, bad, SYS_nanosleep, (long)&nap, 0, 0);
		check(f.ret == 0, "nanosleep", f.ret, 0);
		check_flags("nanosleep", &f, 0);

		guarded_reset(&g);
		f = flagged_call(BY_POPF, bad, SYS_read, pfd[0], (long)g.buf, 1);
		check(f.ret == 1, "read", f.ret, 1);
		failures += !guarded_holds(&g, 1, i);
		check_flags("read", &f, 0);
		if (failures)
			return 1;
	}
	if (waitpid(feeder, &status, 0) != feeder || !WIFEXITED(status) || WEXITSTATUS(status))
		fail("the feeder failed: status 0x%x", status);
	say("flags-block: ok");
	return 0;
}

#define BLOCK 4096

static void fill_block(unsigned char *b, long round)
{
	long i;

	for (i = 0; i < BLOCK; i++)
		b[i] = (unsigned char)(round * 131 + i * 17 + (i >> 8));
}

static bool full_io(int fd, unsigned char *b, bool out)
{
	size_t done = 0;
	ssize_t n;

	while (done < BLOCK) {
		n = out ? write(fd, b + done, BLOCK - done) : read(fd, b + done, BLOCK - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		done += n;
	}
	return true;
}

/* The child's half: echo every block back after checking it. */
static int echo_blocks(int in, int out)
{
	unsigned char got[BLOCK], want[BLOCK];
	long round;

	for (round = 0; full_io(in, got, false); round++) {
		fill_block(want, round);
		if (memcmp(got, want, BLOCK))
			return 1;
		if (!full_io(out, got, true))
			return 1;
	}
	return 0;
}

static bool stdin_at_eof(void)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	char c;

	return poll(&p, 1, 0) == 1 && read(STDIN_FILENO, &c, 1) <= 0;
}

static int run_pingpong(int argc, char **argv)
{
	unsigned char sent[BLOCK], back[BLOCK];
	int there[2], home[2], status;
	long round = 0;
	pid_t echo;

	if (pipe(there) || pipe(home))
		fail("pipe: errno=%d", errno);
	echo = fork();
	if (echo < 0)
		fail("fork: errno=%d", errno);
	if (echo == 0) {
		close(there[1]);
		close(home[0]);
		_exit(echo_blocks(there[0], home[1]));
	}
	close(there[0]);
	close(home[1]);
	say("ready");
	do {
		fill_block(sent, round);
		if (!full_io(there[1], sent, true) || !full_io(home[0], back, false))
			fail("pingpong: round %ld: the echo went away", round);
		if (memcmp(sent, back, BLOCK))
			fail("pingpong: round %ld: the data came back changed", round);
		round++;
	} while (!stdin_at_eof());
	close(there[1]);
	if (waitpid(echo, &status, 0) != echo || !WIFEXITED(status) || WEXITSTATUS(status))
		fail("pingpong: the echo saw changed data (status 0x%x)", status);
	say("pingpong: ok");
	return 0;
}

static volatile int touch_data = 42;

static int run_clac_touch(int argc, char **argv)
{
	int v;

	alarm(5);
	if (!cpu_has_smap()) {
		say("no SMAP on this CPU");
		return 4;
	}
	say("clac, then a load");
	__asm__ volatile("clac\n\t"
			 "mov %1, %0\n\t"
			 "stac"
			 : "=r"(v)
			 : "m"(touch_data)
			 : "memory");
	say("loaded %d without a fault", v);
	return 1;
}

const struct mode flag_modes[] = {
	{ "flags", "df|nt|iopl|ac|rf|tf direct|bypass", run_flags },
	{ "flags-block", "N", run_flags_block },
	{ "pingpong", "", run_pingpong },
	{ "clac-touch", "", run_clac_touch },
	{ NULL, NULL, NULL },
};
