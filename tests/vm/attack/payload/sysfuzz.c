// SPDX-License-Identifier: GPL-2.0
/*
 * The worker of the ring-0 system call fuzzer (tests/vm/attack/
 * syscall_fuzz_test.c, docs/fuzzing.md).
 *
 * sysfuzz SEED CALLS DIR LOG [bypass]: makes DIR, works in it, and issues CALLS
 * system calls generated from SEED, each with random arguments drawn from
 * what that call takes (descriptors, good and bad pointers, lengths,
 * flags, paths), random RFLAGS (DF, NT, the status flags, and IOPL=3 where
 * the CPU lets it be set) and random values in every register the call
 * does not read. One line a call goes to LOG:
 *
 *   INDEX VIA NAME(A0,...,A5) = RESULT h=HASH s=SIGNALS
 *
 * VIA is how the call was made: 's' the syscall instruction, 'e' the
 * entry the kernel gave (AT_KML_ENTRY: direct or bypass). RESULT is the
 * return value (or '+' where only its sign can match, e.g. getpid), HASH
 * a hash of the buffer arena after the call and SIGNALS how many SIGUSR1/2
 * the handler has caught. Everything but VIA depends on SEED and on what
 * the kernel did, nothing else: the ring-0 form and the ring-3 form of
 * this program, started with the same SEED beside each other, must write
 * the same lines but for VIA and the ring-0 exceptions the test lists.
 *
 * After every call it checks what the ABI promises: every register but
 * %rax, %rcx and %r11 as it was, and RFLAGS as it was (all but the status
 * flags after the bypass, which clobbers those: the last argument says
 * that AT_KML_ENTRY is the bypass). A broken promise prints
 * "FAIL call N: ..." and exits 1.
 *
 * What keeps the VM alive: only calls from the table below, with
 * arguments that cannot block for long (descriptors it makes are
 * non-blocking, timeouts are prepared, 1 us), cannot reach outside DIR
 * (relative names from a fixed list, no ".."), cannot signal anyone but
 * itself, and cannot map or unmap outside a window of its own. Its stdin,
 * stdout and stderr are files in DIR while it fuzzes; its report goes to the
 * original stdout (descriptor 1022) and LOG stays on 1023, out of the
 * reach of the descriptors it draws (0-15).
 *
 * Prints "sysfuzz: calls=N entry=E syscall=S ms=T" at the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "payload.h"

#define REPORT_FD 1022
#define LOG_FD 1023
#define FD_DRAWN 16		/* descriptors drawn: 0..15 */

#define PAGE 4096UL
/* Where mmap, munmap, mprotect and friends may act: 64 pages of our own. */
#define WINDOW 0x200000000000UL
#define WINDOW_PAGES 64

#define ARCH_SET_GS 0x1001
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004
#define ARCH_GET_CPUID 0x1011
#define ARCH_SET_CPUID 0x1012
#define ARCH_GET_XCOMP_SUPP 0x1021
#define ARCH_GET_XCOMP_PERM 0x1022

/* ---- the arena: one page the calls read and write, then a guard page ---- */

static unsigned char arena[2 * PAGE] __attribute__((aligned(4096)));
#define GUARD (arena + PAGE)

static uint64_t arena_hash(void)
{
	const uint64_t *w = (const uint64_t *)arena;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < PAGE / 8; i++)
		h = (h ^ w[i]) * 0x100000001b3ULL;
	return h;
}

/* ---- the generator (splitmix64) ---- */

static uint64_t rng_state, how_state;

static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* What the arguments are drawn from (the same stream in every form). */
static unsigned long rnd(void)
{
	return next(&rng_state);
}

static unsigned long below(unsigned long n)
{
	return rnd() % n;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

#define PICK(...) pick((const long[]){ __VA_ARGS__ }, \
		       sizeof((const long[]){ __VA_ARGS__ }) / sizeof(long))

static long pick(const long *set, size_t n)
{
	return set[below(n)];
}

/* Any subset of the bits of @mask, now and then with one stray bit. */
static long bits(long mask)
{
	long v = rnd() & mask;

	if (chance(5))
		v |= 1L << below(32);
	return v;
}

/* ---- argument kinds ---- */

static int fd(void)
{
	if (chance(3))
		return PICK(-1, 1 << 20, 0x7fffffff, -100);
	if (chance(70))
		return 3 + below(10);
	return below(FD_DRAWN);
}

static int dirfd(void)
{
	return chance(70) ? AT_FDCWD : fd();
}

static void sigusr_handler(int sig);

/* The addresses a pointer argument can hold. */
static unsigned long ptr(void)
{
	switch (below(20)) {
	case 0:
		return 0;
	case 1:
		return (unsigned long)GUARD;
	case 2:
		return (unsigned long)arena + PAGE - 1 - below(64);
	case 3:
		return WINDOW + below(WINDOW_PAGES) * PAGE + (chance(50) ? 0 : below(PAGE));
	case 4:
		return PICK(0xffffffff81000000L, 0xffff888000001000L,
			    0xfffffe0000000000L, (long)0xffffffffff600000UL);
	case 5:
		return PICK((long)0x8000000000000000UL, 0x0000800000000000L,
			    0x00007ffffffffff8L, -1L);
	case 6:
		return (unsigned long)&sigusr_handler;	/* our text: read-only */
	default:
		return (unsigned long)arena + below(PAGE);
	}
}

static unsigned long len(void)
{
	if (chance(15))
		return PICK(0, 1, 7, 8, 16, 64, 100, 512, 4096, 4097, 8192,
			    0x7ffff000L, 1L << 31, -1L);
	return below(chance(80) ? 600 : 5000);
}

static long off(void)
{
	if (chance(30))
		return PICK(0, 1, 100, 4096, 1L << 20, 1L << 40, -1, 0x7fffffffffffffffL);
	return below(3000);
}

static const char *const names[] = {
	"a", "b", "d", "d/x", "l", "nx", ".", "", "d/", "a/", "e", "d/y",
	"nameeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
	"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
	"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
};

static unsigned long path(void)
{
	if (chance(10))
		return ptr();
	return (unsigned long)names[below(ARRAY_SIZE(names))];
}

static long mode(void)
{
	return chance(90) ? (long)below(01000) : (long)rnd();
}

static long small(void)
{
	return chance(90) ? (long)below(8) : PICK(-1, 64, 1024, 0x7fffffff);
}

static const struct timespec short_times[] = {
	{ 0, 1000 }, { 0, 0 }, { 0, 2000000000 }, { -1, 0 },
};

/* A prepared timeout (never longer than 1 us) or a bad pointer. */
static unsigned long timeout(bool may_be_null)
{
	if (chance(10)) {
		unsigned long p = PICK(0, (long)GUARD, 0xffffffff81000000L,
				       (long)0x8000000000000000UL);

		if (p || may_be_null)
			return p;
	}
	return (unsigned long)&short_times[below(ARRAY_SIZE(short_times))];
}

static const uint64_t sigsets[] = { 0, 1UL << (SIGUSR1 - 1), ~0UL,
				    (1UL << (SIGUSR1 - 1)) | (1UL << (SIGUSR2 - 1)) };

static unsigned long sigset_ptr(void)
{
	if (chance(20))
		return PICK(0, (long)GUARD, 0xffffffff81000000L, (long)(arena + PAGE - 4));
	return (unsigned long)&sigsets[below(ARRAY_SIZE(sigsets))];
}

/* The kernel's struct sigaction for rt_sigaction(2). */
struct ksigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

#define SA_RESTORER_FLAG 0x04000000UL
void sysfuzz_restorer(void);
__asm__(".text\n"
	".globl sysfuzz_restorer\n"
	"sysfuzz_restorer:\n\t"
	"mov $15, %eax\n\t"		/* rt_sigreturn */
	"syscall\n\t"
	"hlt\n");

static const struct ksigaction sigactions[] = {
	{ sigusr_handler, SA_RESTORER_FLAG, sysfuzz_restorer, 0 },
	{ sigusr_handler, SA_RESTORER_FLAG | SA_RESTART, sysfuzz_restorer, ~0UL },
	{ sigusr_handler, SA_RESTORER_FLAG | SA_NODEFER | SA_SIGINFO, sysfuzz_restorer, 0 },
	{ SIG_IGN, SA_RESTORER_FLAG, sysfuzz_restorer, 0 },
};

/* Never a pointer into the arena: a handler read from it could be anything. */
static unsigned long sigaction_ptr(void)
{
	if (chance(20))
		return PICK(0, (long)GUARD, 0xffffffff81000000L, (long)0x8000000000000000UL);
	return (unsigned long)&sigactions[below(ARRAY_SIZE(sigactions))];
}

static long signo(void)
{
	return PICK(0, SIGUSR1, SIGUSR2, SIGUSR1, SIGUSR2, -1, 65);
}

static unsigned long waddr(void)
{
	unsigned long a = WINDOW + below(WINDOW_PAGES) * PAGE;

	return chance(5) ? a + 1 + below(PAGE - 1) : a;
}

static unsigned long wlen(void)
{
	if (chance(10))
		return PICK(0, 1, 4095, (long)(WINDOW_PAGES * PAGE), (long)((WINDOW_PAGES + 1) * PAGE));
	return (1 + below(8)) * PAGE;
}

/* An iovec array in the arena, pointing into the arena, written just before the call. */
#define IOV_AT (arena + 3072)
static unsigned long iov(void)
{
	struct iovec *v = (struct iovec *)IOV_AT;
	int i;

	if (chance(10))
		return ptr();
	for (i = 0; i < 4; i++) {
		v[i].iov_base = arena + below(1024);
		v[i].iov_len = below(300);
	}
	if (chance(10))
		v[below(4)].iov_base = (void *)ptr();
	return (unsigned long)v;
}

static const int one = 1;
static pid_t self;

/* ---- the calls ---- */

enum compare {
	EXACT,		/* result and arena */
	RESULT,		/* result; what it wrote differs (times, inodes), the arena is wiped */
	SIGN,		/* only the errno, or that it succeeded; the arena is wiped */
	LOCK,		/* as RESULT, but EAGAIN counts as success: see g_flock() */
};

struct call {
	long nr;
	long a[6];
	long shown[6];	/* what the log says: a[] but for our pid */
	int nargs;
	enum compare cmp;
	const char *name;
};

#define SET(c, ...) set_args(c, (const long[]){ __VA_ARGS__ }, \
			     sizeof((const long[]){ __VA_ARGS__ }) / sizeof(long))

static void set_args(struct call *c, const long *v, int n)
{
	int i;

	c->nargs = n;
	for (i = 0; i < n; i++)
		c->a[i] = c->shown[i] = v[i];
}

struct gen {
	const char *name;
	long nr;
	enum compare cmp;
	void (*make)(struct call *c);
};

static void g_read(struct call *c) { SET(c, fd(), ptr(), len()); }
static void g_pread(struct call *c) { SET(c, fd(), ptr(), len(), off()); }
static void g_rwv(struct call *c) { SET(c, fd(), iov(), below(6)); }
static void g_openat(struct call *c)
{
	SET(c, dirfd(), path(), bits(O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_APPEND |
				     O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_PATH |
				     O_NONBLOCK | O_TMPFILE | O_NOATIME | O_SYNC),
	    mode());
}
static void g_fd(struct call *c) { SET(c, fd()); }
static void g_lseek(struct call *c) { SET(c, fd(), off(), PICK(0, 1, 2, 3, 4, 5)); }
static void g_dup2(struct call *c) { SET(c, fd(), below(FD_DRAWN)); }
static void g_dup3(struct call *c) { SET(c, fd(), below(FD_DRAWN), bits(O_CLOEXEC)); }
static void g_fcntl(struct call *c)
{
	long cmd = PICK(F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_DUPFD, F_DUPFD_CLOEXEC,
			F_GETLK, F_SETLK, F_GETPIPE_SZ, F_SETPIPE_SZ, 9999);
	long arg;

	switch (cmd) {
	case F_SETFL:	/* never make a pipe or socket blocking */
		arg = bits(O_APPEND | O_NOATIME | O_DIRECT) | O_NONBLOCK;
		break;
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		arg = below(FD_DRAWN);
		break;
	case F_GETLK:
	case F_SETLK:
		arg = ptr();
		c->cmp = LOCK;
		break;
	case F_SETPIPE_SZ:
		arg = PICK(0, 4096, 65536, 1 << 20, -1);
		break;
	default:
		arg = small();
	}
	SET(c, fd(), cmd, arg);
}
static void g_fdptr(struct call *c) { SET(c, fd(), ptr()); }
static void g_fstatat(struct call *c)
{
	SET(c, dirfd(), path(), ptr(), bits(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH));
}
static void g_statx(struct call *c)
{
	SET(c, dirfd(), path(), bits(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH), bits(0xfff), ptr());
}
static void g_ftruncate(struct call *c)
{
	SET(c, fd(), PICK(0, 1, 100, 4096, 20000, -1, 1L << 62));
}
static void g_truncate(struct call *c) { SET(c, path(), PICK(0, 1, 100, 4096, -1)); }
static void g_mkdirat(struct call *c) { SET(c, dirfd(), path(), mode()); }
static void g_unlinkat(struct call *c) { SET(c, dirfd(), path(), bits(AT_REMOVEDIR)); }
static void g_renameat2(struct call *c)
{
	SET(c, dirfd(), path(), dirfd(), path(), bits(1 | 2 | 4));
}
static void g_symlinkat(struct call *c) { SET(c, path(), dirfd(), path()); }
static void g_linkat(struct call *c)
{
	SET(c, dirfd(), path(), dirfd(), path(), bits(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH));
}
static void g_readlinkat(struct call *c) { SET(c, dirfd(), path(), ptr(), len()); }
static void g_fchmodat(struct call *c) { SET(c, dirfd(), path(), mode()); }
static void g_fchmod(struct call *c) { SET(c, fd(), mode()); }
static void g_fchownat(struct call *c)
{
	SET(c, dirfd(), path(), PICK(0, 1, 65534, -1), PICK(0, 1, 65534, -1),
	    bits(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH));
}
static void g_faccessat2(struct call *c)
{
	SET(c, dirfd(), path(), below(8), bits(AT_EACCESS | AT_SYMLINK_NOFOLLOW));
}
static void g_utimensat(struct call *c)
{
	SET(c, dirfd(), path(), timeout(true), bits(AT_SYMLINK_NOFOLLOW));
}
static void g_getdents(struct call *c) { SET(c, fd(), ptr(), len()); }
static void g_pipe2(struct call *c) { SET(c, ptr(), bits(O_CLOEXEC | O_DIRECT) | O_NONBLOCK); }
static void g_socketpair(struct call *c)
{
	SET(c, PICK(AF_UNIX, AF_UNIX, AF_UNIX, AF_INET, 99),
	    PICK(SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, 99) | SOCK_NONBLOCK | bits(SOCK_CLOEXEC),
	    PICK(0, 0, 1), ptr());
}
static void g_sendto(struct call *c)
{
	SET(c, fd(), ptr(), len(), bits(MSG_OOB | MSG_EOR | MSG_MORE) | MSG_DONTWAIT | MSG_NOSIGNAL,
	    0, 0);
}
static void g_recvfrom(struct call *c)
{
	SET(c, fd(), ptr(), len(), bits(MSG_PEEK | MSG_TRUNC | MSG_WAITALL) | MSG_DONTWAIT, 0, 0);
}
static void g_shutdown(struct call *c) { SET(c, fd(), PICK(0, 1, 2, 3)); }
static void g_eventfd2(struct call *c)
{
	SET(c, small(), bits(EFD_CLOEXEC | EFD_SEMAPHORE) | EFD_NONBLOCK);
}
static void g_epoll_create1(struct call *c) { SET(c, bits(EPOLL_CLOEXEC)); }
static void g_epoll_ctl(struct call *c) { SET(c, fd(), PICK(0, 1, 2, 3), fd(), ptr()); }
static void g_epoll_wait(struct call *c) { SET(c, fd(), ptr(), small(), 0); }
static void g_poll(struct call *c) { SET(c, ptr(), below(5), 0); }
static void g_ppoll(struct call *c)
{
	SET(c, ptr(), below(5), timeout(false), chance(50) ? 0 : sigset_ptr(), PICK(8, 8, 4));
}
static void g_none(struct call *c) { c->nargs = 0; }
static void g_getsid(struct call *c) { SET(c, 0); }
static void g_ptr(struct call *c) { SET(c, ptr()); }
static void g_getcwd(struct call *c) { SET(c, ptr(), len()); }
static void g_umask(struct call *c) { SET(c, mode()); }
static void g_getrlimit(struct call *c) { SET(c, PICK(0, 3, 7, 8, 15, 16, 99), ptr()); }
static void g_prlimit(struct call *c) { SET(c, 0, PICK(0, 3, 7, 8, 15, 16, 99), 0, ptr()); }
static void g_getrusage(struct call *c) { SET(c, PICK(0, -1, 1, 99), ptr()); }
static long clockid(void)
{
	return PICK(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, -1, 99, -6, -2);
}
static void g_clock_ptr(struct call *c) { SET(c, clockid(), ptr()); }
static void g_ptr2(struct call *c) { SET(c, ptr(), ptr()); }
static void g_nanosleep(struct call *c) { SET(c, timeout(false), ptr()); }
static void g_clock_nanosleep(struct call *c)
{
	long clk = clockid(), flags = bits(TIMER_ABSTIME);

	/*
	 * A relative sleep on our own process CPU clock would wait for CPU
	 * time this single thread cannot use while it sleeps: absolute
	 * times only (every prepared one is already past).
	 */
	if (clk == CLOCK_PROCESS_CPUTIME_ID || clk == -6)
		flags |= TIMER_ABSTIME;
	SET(c, clk, flags, timeout(false), ptr());
}
static void g_getaffinity(struct call *c) { SET(c, 0, PICK(0, 7, 8, 64, 128, 4096), ptr()); }
static void g_getpriority(struct call *c) { SET(c, PICK(0, 1, 2, 5), 0); }
static void g_sigprocmask(struct call *c)
{
	SET(c, PICK(0, 1, 2, 3), chance(20) ? 0 : sigset_ptr(), chance(30) ? 0 : ptr(),
	    PICK(8, 8, 8, 4, 16, 0));
}
static void g_sigaction(struct call *c)
{
	SET(c, PICK(SIGUSR1, SIGUSR2, SIGUSR1, SIGKILL, 0, 65), sigaction_ptr(),
	    chance(30) ? 0 : ptr(), PICK(8, 8, 8, 4));
}
static void g_sigpending(struct call *c) { SET(c, ptr(), PICK(8, 8, 4, 16)); }
static void g_sigaltstack(struct call *c)
{
	stack_t *ss = (stack_t *)(arena + 2048);

	ss->ss_sp = arena;
	ss->ss_flags = chance(80) ? 0 : (int)PICK(SS_DISABLE, SS_ONSTACK, 99);
	ss->ss_size = PICK(1024, 2048, 4096, 0);
	SET(c, chance(80) ? (long)ss : (long)ptr(), chance(30) ? 0 : ptr());
}
static void g_kill(struct call *c)
{
	SET(c, 0, signo());
	c->a[0] = self;
}
static void g_tgkill(struct call *c)
{
	SET(c, 0, 0, signo());
	c->a[0] = c->a[1] = self;
}
static void g_getrandom(struct call *c)
{
	/* GRND_INSECURE: never blocks, even before the pool is ready */
	SET(c, ptr(), len(), bits(GRND_NONBLOCK) | GRND_INSECURE);
}
/*
 * Never PROT_EXEC: at ring 0 the gate refuses executable anonymous and
 * unapproved memory (patch 0023, attack_gate_test), before the kernel
 * looks at the other arguments, and a mapping granted at ring 3 only
 * would make every later call on the window differ.
 */
static long prot(void)
{
	return bits(PROT_READ | PROT_WRITE | PROT_GROWSDOWN);
}
static void g_mmap(struct call *c)
{
	long flags = PICK(MAP_PRIVATE, MAP_SHARED, MAP_SHARED_VALIDATE, 0) |
		     (chance(50) ? MAP_ANONYMOUS : 0) |
		     bits(MAP_POPULATE | MAP_NORESERVE | MAP_LOCKED | MAP_STACK);

	/* always at a fixed place in the window */
	flags |= chance(50) ? MAP_FIXED : MAP_FIXED_NOREPLACE;
	SET(c, waddr(), wlen(), prot(), flags, fd(), chance(80) ? (long)(below(4) * PAGE) : off());
}
static void g_wlen(struct call *c) { SET(c, waddr(), wlen()); }
static void g_mprotect(struct call *c) { SET(c, waddr(), wlen(), prot()); }
static void g_madvise(struct call *c)
{
	SET(c, waddr(), wlen(), PICK(MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED,
				     MADV_DONTNEED, MADV_FREE, MADV_REMOVE, MADV_DONTFORK,
				     MADV_DOFORK, MADV_HUGEPAGE, MADV_NOHUGEPAGE,
				     MADV_DONTDUMP, MADV_DODUMP, MADV_WIPEONFORK,
				     MADV_POPULATE_READ, MADV_POPULATE_WRITE, 99));
}
static void g_mremap(struct call *c)
{
	/* MREMAP_MAYMOVE without MREMAP_FIXED would leave the window */
	SET(c, waddr(), wlen(), wlen(),
	    PICK(0, MREMAP_MAYMOVE | MREMAP_FIXED, 8, MREMAP_FIXED), waddr());
}
static void g_mincore(struct call *c) { SET(c, waddr(), wlen(), ptr()); }
static void g_msync(struct call *c) { SET(c, waddr(), wlen(), PICK(MS_ASYNC, MS_SYNC, MS_INVALIDATE, 0, 7)); }
static void g_prctl(struct call *c)
{
	long option = PICK(PR_SET_NAME, PR_GET_NAME, PR_GET_DUMPABLE, PR_GET_TSC, PR_SET_TSC,
			   PR_GET_TIMERSLACK, PR_GET_NO_NEW_PRIVS, PR_GET_SECCOMP,
			   PR_CAPBSET_READ, PR_GET_SPECULATION_CTRL, PR_GET_THP_DISABLE,
			   PR_GET_CHILD_SUBREAPER, PR_GET_PDEATHSIG, 9999);
	long arg;

	switch (option) {
	case PR_SET_TSC:	/* PR_TSC_SIGSEGV would stop the vDSO clock */
		arg = PR_TSC_ENABLE;
		break;
	case PR_CAPBSET_READ:
	case PR_GET_SPECULATION_CTRL:
		arg = small();
		break;
	default:
		arg = ptr();
	}
	SET(c, option, arg, 0, 0, 0);
}
static void g_arch_prctl(struct call *c)
{
	long code = PICK(ARCH_GET_FS, ARCH_GET_GS, ARCH_SET_GS, ARCH_GET_CPUID, ARCH_SET_CPUID,
			 ARCH_GET_XCOMP_SUPP, ARCH_GET_XCOMP_PERM, 0x9999);
	long arg = ptr();

	/*
	 * ARCH_SET_GS only to 0 (a ring-3 GS base elsewhere would make
	 * ARCH_GET_GS differ from then on); ARCH_SET_CPUID only to 1 (cpuid
	 * faulting on). The ring-0 refusals of other values have their own
	 * attack tests.
	 */
	if (code == ARCH_SET_GS)
		arg = 0;
	else if (code == ARCH_SET_CPUID)
		arg = 1;
	SET(c, code, arg);
	/* the FS base is where this run's TLS happens to be */
	if (code == ARCH_GET_FS)
		c->cmp = RESULT;
}
static void g_ioctl(struct call *c)
{
	/* FS_IOC_GETFLAGS, not FS_IOC_GETVERSION: the inode generation differs */
	long cmd = PICK(FIONREAD, FIONBIO, FIOCLEX, FIONCLEX, TCGETS, TIOCGWINSZ, 0x80086601L,
			0x1234);

	/* FIONBIO only ever switches non-blocking mode on */
	SET(c, fd(), cmd, cmd == FIONBIO ? (long)&one : (long)ptr());
}
/*
 * Every eventfd, epoll and other anonymous-inode descriptor in the system
 * shares one inode, so a lock on one conflicts with the other form's (and
 * anyone's): whether a lock is granted or EAGAIN is a race, not a result.
 */
static void g_flock(struct call *c)
{
	SET(c, fd(), PICK(LOCK_SH, LOCK_EX, LOCK_UN, 0, 99) | LOCK_NB);
	c->cmp = LOCK;
}
static void g_getgroups(struct call *c) { SET(c, small(), ptr()); }
static void g_ptr3(struct call *c) { SET(c, ptr(), ptr(), ptr()); }
static void g_futex(struct call *c)
{
	long op = PICK(FUTEX_WAKE, FUTEX_WAIT, FUTEX_WAKE | FUTEX_PRIVATE_FLAG,
		       FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 99);
	unsigned long addr = chance(80) ? (unsigned long)(arena + 4 * below(PAGE / 4)) : ptr();

	/* a wait has a 1 us timeout, never none */
	SET(c, addr, op, chance(50) ? 0 : (long)rnd(), timeout(false), 0, 0);
}
static void g_membarrier(struct call *c) { SET(c, PICK(0, 0, 99), 0, 0); }
static void g_personality(struct call *c) { SET(c, 0xffffffffL); }
static void g_getcpu(struct call *c) { SET(c, ptr(), ptr(), 0); }
static void g_sched_getparam(struct call *c) { SET(c, 0, ptr()); }

/*
 * Numbers that are not plain system call numbers: with high bits set
 * (6.12 takes the low 32 bits), x32's bit, past the table. Only numbers
 * whose low bits name harmless calls; their arguments are random.
 */
static void g_odd_nr(struct call *c)
{
	SET(c, rnd(), rnd(), rnd(), rnd(), rnd(), rnd());
	c->nr = PICK(SYS_getppid | 0x40000000L, SYS_getuid | 0x40000000L,
		     SYS_getppid | (1L << 32), SYS_getuid | (1L << 63), -1L, 463, 511, 512,
		     1000, 0x3fffffffL, 0x7fffffffL, 0xffffffffL);
}

static const struct gen table[] = {
	{ "read", SYS_read, EXACT, g_read },
	{ "write", SYS_write, EXACT, g_read },
	{ "pread64", SYS_pread64, EXACT, g_pread },
	{ "pwrite64", SYS_pwrite64, EXACT, g_pread },
	{ "readv", SYS_readv, EXACT, g_rwv },
	{ "writev", SYS_writev, EXACT, g_rwv },
	{ "openat", SYS_openat, EXACT, g_openat },
	{ "openat", SYS_openat, EXACT, g_openat },
	{ "close", SYS_close, EXACT, g_fd },
	{ "lseek", SYS_lseek, EXACT, g_lseek },
	{ "dup", SYS_dup, EXACT, g_fd },
	{ "dup2", SYS_dup2, EXACT, g_dup2 },
	{ "dup3", SYS_dup3, EXACT, g_dup3 },
	{ "fcntl", SYS_fcntl, EXACT, g_fcntl },
	{ "fstat", SYS_fstat, RESULT, g_fdptr },
	{ "newfstatat", SYS_newfstatat, RESULT, g_fstatat },
	{ "statx", SYS_statx, RESULT, g_statx },
	{ "ftruncate", SYS_ftruncate, EXACT, g_ftruncate },
	{ "truncate", SYS_truncate, EXACT, g_truncate },
	{ "fsync", SYS_fsync, EXACT, g_fd },
	{ "fdatasync", SYS_fdatasync, EXACT, g_fd },
	{ "mkdirat", SYS_mkdirat, EXACT, g_mkdirat },
	{ "unlinkat", SYS_unlinkat, EXACT, g_unlinkat },
	{ "renameat2", SYS_renameat2, EXACT, g_renameat2 },
	{ "symlinkat", SYS_symlinkat, EXACT, g_symlinkat },
	{ "linkat", SYS_linkat, EXACT, g_linkat },
	{ "readlinkat", SYS_readlinkat, EXACT, g_readlinkat },
	{ "fchmodat", SYS_fchmodat, EXACT, g_fchmodat },
	{ "fchmod", SYS_fchmod, EXACT, g_fchmod },
	{ "fchownat", SYS_fchownat, EXACT, g_fchownat },
	{ "faccessat2", SYS_faccessat2, EXACT, g_faccessat2 },
	{ "utimensat", SYS_utimensat, EXACT, g_utimensat },
	{ "getdents64", SYS_getdents64, RESULT, g_getdents },
	{ "pipe2", SYS_pipe2, EXACT, g_pipe2 },
	{ "socketpair", SYS_socketpair, EXACT, g_socketpair },
	{ "sendto", SYS_sendto, EXACT, g_sendto },
	{ "recvfrom", SYS_recvfrom, EXACT, g_recvfrom },
	{ "shutdown", SYS_shutdown, EXACT, g_shutdown },
	{ "eventfd2", SYS_eventfd2, EXACT, g_eventfd2 },
	{ "epoll_create1", SYS_epoll_create1, EXACT, g_epoll_create1 },
	{ "epoll_ctl", SYS_epoll_ctl, EXACT, g_epoll_ctl },
	{ "epoll_wait", SYS_epoll_wait, EXACT, g_epoll_wait },
	{ "poll", SYS_poll, EXACT, g_poll },
	{ "ppoll", SYS_ppoll, EXACT, g_ppoll },
	{ "getpid", SYS_getpid, SIGN, g_none },
	{ "gettid", SYS_gettid, SIGN, g_none },
	{ "getppid", SYS_getppid, EXACT, g_none },
	{ "getuid", SYS_getuid, EXACT, g_none },
	{ "geteuid", SYS_geteuid, EXACT, g_none },
	{ "getgid", SYS_getgid, EXACT, g_none },
	{ "getegid", SYS_getegid, EXACT, g_none },
	{ "getpgrp", SYS_getpgrp, SIGN, g_none },
	{ "getsid", SYS_getsid, SIGN, g_getsid },
	{ "sched_yield", SYS_sched_yield, EXACT, g_none },
	{ "uname", SYS_uname, EXACT, g_ptr },
	{ "getcwd", SYS_getcwd, RESULT, g_getcwd },
	{ "umask", SYS_umask, EXACT, g_umask },
	{ "getrlimit", SYS_getrlimit, EXACT, g_getrlimit },
	{ "prlimit64", SYS_prlimit64, EXACT, g_prlimit },
	{ "getrusage", SYS_getrusage, RESULT, g_getrusage },
	{ "sysinfo", SYS_sysinfo, RESULT, g_ptr },
	{ "times", SYS_times, SIGN, g_ptr },
	{ "clock_gettime", SYS_clock_gettime, RESULT, g_clock_ptr },
	{ "clock_getres", SYS_clock_getres, EXACT, g_clock_ptr },
	{ "gettimeofday", SYS_gettimeofday, RESULT, g_ptr2 },
	{ "time", SYS_time, SIGN, g_ptr },
	{ "nanosleep", SYS_nanosleep, EXACT, g_nanosleep },
	{ "clock_nanosleep", SYS_clock_nanosleep, EXACT, g_clock_nanosleep },
	{ "sched_getaffinity", SYS_sched_getaffinity, EXACT, g_getaffinity },
	{ "sched_getscheduler", SYS_sched_getscheduler, EXACT, g_getsid },
	{ "sched_getparam", SYS_sched_getparam, EXACT, g_sched_getparam },
	{ "getpriority", SYS_getpriority, EXACT, g_getpriority },
	{ "rt_sigprocmask", SYS_rt_sigprocmask, EXACT, g_sigprocmask },
	{ "rt_sigaction", SYS_rt_sigaction, EXACT, g_sigaction },
	{ "rt_sigpending", SYS_rt_sigpending, EXACT, g_sigpending },
	{ "sigaltstack", SYS_sigaltstack, EXACT, g_sigaltstack },
	{ "kill", SYS_kill, EXACT, g_kill },
	{ "tgkill", SYS_tgkill, EXACT, g_tgkill },
	{ "getrandom", SYS_getrandom, RESULT, g_getrandom },
	{ "mmap", SYS_mmap, EXACT, g_mmap },
	{ "mmap", SYS_mmap, EXACT, g_mmap },
	{ "munmap", SYS_munmap, EXACT, g_wlen },
	{ "mprotect", SYS_mprotect, EXACT, g_mprotect },
	{ "madvise", SYS_madvise, EXACT, g_madvise },
	{ "mremap", SYS_mremap, EXACT, g_mremap },
	{ "mincore", SYS_mincore, EXACT, g_mincore },
	{ "msync", SYS_msync, EXACT, g_msync },
	{ "mlock", SYS_mlock, EXACT, g_wlen },
	{ "munlock", SYS_munlock, EXACT, g_wlen },
	{ "prctl", SYS_prctl, EXACT, g_prctl },
	{ "arch_prctl", SYS_arch_prctl, EXACT, g_arch_prctl },
	{ "ioctl", SYS_ioctl, EXACT, g_ioctl },
	{ "flock", SYS_flock, EXACT, g_flock },
	{ "getgroups", SYS_getgroups, EXACT, g_getgroups },
	{ "getresuid", SYS_getresuid, EXACT, g_ptr3 },
	{ "getresgid", SYS_getresgid, EXACT, g_ptr3 },
	{ "capget", SYS_capget, EXACT, g_ptr2 },
	{ "futex", SYS_futex, EXACT, g_futex },
	{ "membarrier", SYS_membarrier, EXACT, g_membarrier },
	{ "personality", SYS_personality, EXACT, g_personality },
	{ "getcpu", SYS_getcpu, EXACT, g_getcpu },
	{ "odd-number", 0, EXACT, g_odd_nr },
};

/* ---- one call, with the registers and flags under our control ---- */

struct regs {
	unsigned long rbx, rbp, r12, r13, r14, r15, rdi, rsi, rdx, r10, r8, r9;
};

/* The assembly below knows these offsets. */
struct frame {
	unsigned long nr;		/*   0 */
	struct regs in;			/*   8 */
	struct regs out;		/* 104 */
	unsigned long flags_set;	/* 200: bits or-ed into RFLAGS */
	unsigned long flags_before;	/* 208: RFLAGS at the call */
	unsigned long flags_after;	/* 216: RFLAGS right after it */
	unsigned long ret;		/* 224 */
	unsigned long entry;		/* 232: AT_KML_ENTRY */
	unsigned long saved_flags;	/* 240 */
	unsigned long via;		/* 248: sysfuzz_via_syscall or sysfuzz_via_entry */
};

_Static_assert(__builtin_offsetof(struct frame, via) == 248, "frame layout");

struct frame sysfuzz_frame;
void sysfuzz_call(void);
extern const char sysfuzz_via_syscall[], sysfuzz_via_entry[];

/*
 * Loads every register from sysfuzz_frame, ors flags_set into RFLAGS,
 * jumps (no flag-changing instruction after the popfq) to the syscall
 * instruction or to the entry, and stores every register and RFLAGS back.
 * A restart of the entry comes back at the `jmp 0b` before the return
 * address, as `kml rewrite` lays it out.
 */
__asm__(".text\n"
	".globl sysfuzz_call, sysfuzz_via_syscall, sysfuzz_via_entry\n"
	"sysfuzz_call:\n\t"
	"push %rbx\n\tpush %rbp\n\tpush %r12\n\tpush %r13\n\tpush %r14\n\tpush %r15\n\t"
	"pushfq\n\t"
	"popq sysfuzz_frame+240(%rip)\n\t"
	"movq sysfuzz_frame+240(%rip), %rax\n\t"
	"orq sysfuzz_frame+200(%rip), %rax\n\t"
	"movq sysfuzz_frame+8(%rip), %rbx\n\t"
	"movq sysfuzz_frame+16(%rip), %rbp\n\t"
	"movq sysfuzz_frame+24(%rip), %r12\n\t"
	"movq sysfuzz_frame+32(%rip), %r13\n\t"
	"movq sysfuzz_frame+40(%rip), %r14\n\t"
	"movq sysfuzz_frame+48(%rip), %r15\n\t"
	"movq sysfuzz_frame+56(%rip), %rdi\n\t"
	"movq sysfuzz_frame+64(%rip), %rsi\n\t"
	"movq sysfuzz_frame+72(%rip), %rdx\n\t"
	"movq sysfuzz_frame+80(%rip), %r10\n\t"
	"movq sysfuzz_frame+88(%rip), %r8\n\t"
	"movq sysfuzz_frame+96(%rip), %r9\n\t"
	"pushq %rax\n\t"
	"popfq\n\t"
	"pushfq\n\t"
	"popq sysfuzz_frame+208(%rip)\n\t"
	"movq sysfuzz_frame+0(%rip), %rax\n\t"
	"jmpq *sysfuzz_frame+248(%rip)\n"
	"sysfuzz_via_syscall:\n\t"
	"syscall\n\t"
	"jmp 2f\n"
	"sysfuzz_via_entry:\n"
	"0:\tleaq 2f(%rip), %rcx\n\t"
	"jmpq *sysfuzz_frame+232(%rip)\n\t"
	"jmp 0b\n"
	"2:\tmovq %rax, sysfuzz_frame+224(%rip)\n\t"
	"pushfq\n\t"
	"popq sysfuzz_frame+216(%rip)\n\t"
	"movq %rbx, sysfuzz_frame+104(%rip)\n\t"
	"movq %rbp, sysfuzz_frame+112(%rip)\n\t"
	"movq %r12, sysfuzz_frame+120(%rip)\n\t"
	"movq %r13, sysfuzz_frame+128(%rip)\n\t"
	"movq %r14, sysfuzz_frame+136(%rip)\n\t"
	"movq %r15, sysfuzz_frame+144(%rip)\n\t"
	"movq %rdi, sysfuzz_frame+152(%rip)\n\t"
	"movq %rsi, sysfuzz_frame+160(%rip)\n\t"
	"movq %rdx, sysfuzz_frame+168(%rip)\n\t"
	"movq %r10, sysfuzz_frame+176(%rip)\n\t"
	"movq %r8, sysfuzz_frame+184(%rip)\n\t"
	"movq %r9, sysfuzz_frame+192(%rip)\n\t"
	"pushq sysfuzz_frame+240(%rip)\n\t"
	"popfq\n\t"
	"pop %r15\n\tpop %r14\n\tpop %r13\n\tpop %r12\n\tpop %rbp\n\tpop %rbx\n\t"
	"ret\n");

/* ---- signals, reporting, the log ---- */

static volatile unsigned int caught;

static void sigusr_handler(int sig)
{
	caught++;
}

static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void report(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(REPORT_FD, line, n) != n)
		return;
}

/* report() then exit(1): stdout is a file in DIR once the descriptors are set up. */
#define die(...) do { report(__VA_ARGS__); exit(1); } while (0)

static char logbuf[65536];
static size_t loglen;

static void log_flush(void)
{
	size_t done = 0;
	ssize_t w;

	while (done < loglen) {
		w = write(LOG_FD, logbuf + done, loglen - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			die("FAIL writing the log: errno=%d", errno);
		}
		done += w;
	}
	loglen = 0;
}

static void log_call(unsigned long i, char via, const struct call *c, long ret)
{
	char result[32];
	int n, k;

	if (c->cmp == SIGN && ret >= 0)
		snprintf(result, sizeof(result), "+");
	else if (c->cmp == LOCK && ret == -EAGAIN)
		snprintf(result, sizeof(result), "0");
	else
		snprintf(result, sizeof(result), "%ld", ret);
	n = snprintf(logbuf + loglen, sizeof(logbuf) - loglen, "%lu %c %s(", i, via, c->name);
	for (k = 0; k < c->nargs; k++)
		n += snprintf(logbuf + loglen + n, sizeof(logbuf) - loglen - n, "%s%lx",
			      k ? "," : "", c->shown[k]);
	n += snprintf(logbuf + loglen + n, sizeof(logbuf) - loglen - n,
		      ")=%s h=%016llx s=%u\n", result, (unsigned long long)arena_hash(), caught);
	loglen += n;
	if (loglen > sizeof(logbuf) - 1024)
		log_flush();
}

/* ---- the scratch directory ---- */

static void put_file(const char *name, size_t size)
{
	char buf[1000];
	size_t i;
	int f;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (char)('a' + i % 26);
	f = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (f < 0 || write(f, buf, size) != (ssize_t)size || close(f))
		die("sysfuzz: making %s: errno=%d", name, errno);
}

static void setup_dir(const char *dir)
{
	if (mkdir(dir, 0755) && errno != EEXIST)
		die("sysfuzz: mkdir %s: errno=%d", dir, errno);
	if (chdir(dir))
		die("sysfuzz: chdir %s: errno=%d", dir, errno);
	put_file("a", 1000);
	put_file("b", 0);
	if (mkdir("d", 0755))
		die("sysfuzz: mkdir d: errno=%d", errno);
	put_file("d/x", 10);
	if (symlink("a", "l"))
		die("sysfuzz: symlink: errno=%d", errno);
}

/*
 * Descriptors: 0 "in" (empty), 1-2 "out", 3 "a", 4 "d", 5-6 a pipe, 7-8
 * a socket pair, nothing else below 1022; the same in every form. Files
 * of its own, not /dev/null: a lock on a shared file would make one
 * form's result depend on the other's.
 */
static void setup_fds(const char *log)
{
	int null_in, null_out, f, p[2], s[2];

	f = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (f < 0 || dup2(f, LOG_FD) != LOG_FD)
		die("sysfuzz: %s: errno=%d", log, errno);
	close(f);
	if (close_range(3, REPORT_FD - 1, 0))
		die("sysfuzz: close_range: errno=%d", errno);
	null_in = open("in", O_RDONLY | O_CREAT, 0644);
	null_out = open("out", O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (null_in < 0 || null_out < 0 || dup2(null_in, 0) != 0 || dup2(null_out, 1) != 1 ||
	    dup2(null_out, 2) != 2)
		die("sysfuzz: in, out: errno=%d", errno);
	close(null_in);
	close(null_out);
	if (open("a", O_RDWR) != 3 || open("d", O_RDONLY | O_DIRECTORY) != 4 ||
	    pipe2(p, O_NONBLOCK) || p[0] != 5 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, s) || s[0] != 7)
		die("FAIL sysfuzz: the first descriptors are not 3-8: errno=%d", errno);
}

static void setup_signals(void)
{
	struct ksigaction ign = { SIG_IGN, SA_RESTORER_FLAG, sysfuzz_restorer, 0 };

	if (syscall(SYS_rt_sigaction, SIGUSR1, &sigactions[0], NULL, 8) ||
	    syscall(SYS_rt_sigaction, SIGUSR2, &sigactions[0], NULL, 8) ||
	    syscall(SYS_rt_sigaction, SIGPIPE, &ign, NULL, 8))
		die("sysfuzz: rt_sigaction: errno=%d", errno);
}

static long now_ms(void)
{
	struct timespec t;

	/* not the vDSO: rdtsc may be made to fault */
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000;
}

/* ---- the loop ---- */

static unsigned long flags_for_call(bool ring0)
{
	unsigned long f = next(&how_state) & (FLAGS_STATUS | FLAG_DF | FLAG_NT);

	/* IOPL=3 by popf needs CPL 0; at CPL 3 popf keeps IOPL without a fault */
	if (ring0 && !(next(&how_state) & 3))
		f |= FLAG_IOPL3;
	return f;
}

static int run_sysfuzz(int argc, char **argv)
{
	unsigned long seed, calls, i, by_entry = 0, by_syscall = 0;
	bool ring0 = current_cpl() == 0;
	bool bypass;
	struct frame *fr = &sysfuzz_frame;
	struct regs want;
	long start;

	if (argc != 4 && !(argc == 5 && !strcmp(argv[4], "bypass")))
		fail("usage: sysfuzz SEED CALLS DIR LOG [bypass]");
	bypass = argc == 5;
	seed = arg_ulong(argv[0], "SEED");
	calls = arg_ulong(argv[1], "CALLS");
	rng_state = seed;
	how_state = seed ^ 0x5eed5eed5eed5eedULL;

	if (dup2(STDOUT_FILENO, REPORT_FD) != REPORT_FD)
		fail("sysfuzz: dup2 to %d: errno=%d", REPORT_FD, errno);
	setup_dir(argv[2]);
	setup_fds(argv[3]);
	setup_signals();
	prctl(PR_SET_NAME, "sysfuzz");	/* the same comm in every form */
	self = getpid();
	memset(arena, 0x5a, PAGE);
	if (mprotect(GUARD, PAGE, PROT_NONE))
		die("sysfuzz: mprotect guard: errno=%d", errno);

	fr->entry = kml_entry;
	start = now_ms();
	for (i = 0; i < calls; i++) {
		const struct gen *g = &table[below(ARRAY_SIZE(table))];
		struct call c = { .nr = g->nr, .cmp = g->cmp, .name = g->name };
		bool entry = kml_entry && (next(&how_state) & 1);
		unsigned long *in = (unsigned long *)&fr->in, mask;
		int k;

		g->make(&c);
		for (k = 0; k < 12; k++)
			in[k] = next(&how_state);
		/* arguments in %rdi, %rsi, %rdx, %r10, %r8, %r9; the rest garbage */
		for (k = 0; k < c.nargs; k++)
			in[6 + k] = c.a[k];
		fr->nr = c.nr;
		fr->flags_set = flags_for_call(ring0);
		fr->via = (unsigned long)(entry ? sysfuzz_via_entry : sysfuzz_via_syscall);
		want = fr->in;

		sysfuzz_call();

		if (memcmp(&want, &fr->out, sizeof(want))) {
			const unsigned long *w = (const unsigned long *)&want;
			const unsigned long *o = (const unsigned long *)&fr->out;
			static const char *const reg[] = { "rbx", "rbp", "r12", "r13", "r14", "r15",
							   "rdi", "rsi", "rdx", "r10", "r8", "r9" };

			for (k = 0; k < 12 && w[k] == o[k]; k++)
				;
			log_flush();
			die("FAIL call %lu: %s via %s changed %%%s: %lx -> %lx", i, c.name,
			    entry ? "entry" : "syscall", reg[k], w[k], o[k]);
		}
		/* RF never shows; the bypass may clobber the status flags */
		mask = ~FLAG_RF;
		if (entry && bypass)
			mask &= ~FLAGS_STATUS;
		if ((fr->flags_before & mask) != (fr->flags_after & mask)) {
			log_flush();
			die("FAIL call %lu: %s via %s: RFLAGS %lx before, %lx after", i, c.name,
			    entry ? "entry" : "syscall", fr->flags_before, fr->flags_after);
		}
		if (c.cmp != EXACT)
			memset(arena, 0, PAGE);
		log_call(i, entry ? 'e' : 's', &c, (long)fr->ret);
		if (entry)
			by_entry++;
		else
			by_syscall++;
	}
	log_flush();
	report("sysfuzz: calls=%lu entry=%lu syscall=%lu ms=%ld", calls, by_entry, by_syscall,
	       now_ms() - start);
	return 0;
}

const struct mode fuzz_modes[] = {
	{ "sysfuzz", "SEED CALLS DIR LOG", run_sysfuzz },
	{ NULL, NULL, NULL },
};
