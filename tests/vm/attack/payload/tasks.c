// SPDX-License-Identifier: GPL-2.0
/*
 * Modes that hand the payload to someone else: a tracer, a reader of its
 * /proc files, a new program.
 *
 * cpl: nothing more (main() prints the ring).
 *
 * exec FILE [ARGS...]: replaces itself with FILE, a program next to it.
 * exec-after-stdin FILE [ARGS...]: prints "ready", waits for one byte on
 *   stdin (a tracer attaches meanwhile), then the same.
 * traceme-exec FILE [ARGS...]: PTRACE_TRACEME, then the same: the parent
 *   traces the new program from its first instruction.
 * listener-exec keep|close FILE [ARGS...]: installs a seccomp filter that
 *   allows every call, with a user-notification listener
 *   (SECCOMP_FILTER_FLAG_NEW_LISTENER); "keep" keeps the listener open
 *   across the exec (the new program holds it), "close" closes it first
 *   (the filter stays). Prints "listener=keep" or "listener=close", then
 *   execs FILE.
 *
 * wait: prints "text=0x... data=0x..." (the 8 bytes of text_victim, never
 *   run, and a writable word), "ready", reads stdin to EOF, then
 *   "after cpl=N data=0x... text=0xNN": what a tracer left there.
 *
 * drop-to-nobody: prints "entry=0x..." (AT_KML_ENTRY, 0 if none), becomes
 *   nobody, makes itself dumpable so that nobody may read its /proc files,
 *   prints "uid=65534" and "ready", then waits for EOF on stdin.
 *
 * gsbase: arch_prctl(ARCH_GET_GS), then ARCH_SET_GS with the value it got
 *   (so a kernel that allows it changes nothing): prints "get_gs=0x..."
 *   (or "get_gs errno=N") and "set_gs errno=N" (0 if it worked).
 *
 * entry-loop [nobody]: prints "jump=0x..." (the address of the jump into
 *   the entry), with "nobody" becomes nobody as drop-to-nobody does, prints
 *   "ready", then calls getppid through the direct entry until SIGUSR1
 *   arrives, checking each answer; "entry-loop: ok".
 *
 * syscall-experiments: for a tracer that edits system calls at
 *   PTRACE_SYSCALL stops. Prints "ready", waits for one byte on stdin, then
 *   makes four calls through the entry (the syscall instruction without
 *   one) and prints what each returned:
 *     getppid            "a: getpid" when the tracer made it getpid
 *     write(9, "abc\ndef\n", 8)  (fd 9 is stdout) "b: ret=N"
 *     getuid             "c: ret=N"
 *     getgid             "d: ret=N"
 *   and "done".
 *
 * mce-wait MS REQUEST [catch]: for a machine check from the host (CPL 0
 *   only). Turns interrupts off, writes "KML-HOST-REQUEST REQUEST" to the
 *   first serial port itself (port I/O, no system call: the request is
 *   out only once nothing but this code can run on its CPU), then spins
 *   for up to MS milliseconds (timed by the TSC, calibrated first): a
 *   machine check that reaches this CPU meanwhile lands in the program's
 *   own code. With "catch", a SIGBUS handler prints "sigbus code=N" and
 *   exits 0. If none came: interrupts back on, "no machine check", exit 1.
 *
 * map-exec CASE [FILE]: asks for executable memory one way and prints
 *   "result errno=N" (0 if it was granted). CASE: anon (mmap of anonymous
 *   memory, PROT_READ|PROT_EXEC), wx (the same, also PROT_WRITE), file
 *   (mmap of FILE, PROT_READ|PROT_EXEC, private), mprotect-anon (anonymous
 *   memory mapped read-write, then mprotect to read-exec), mprotect-file
 *   (FILE mapped read-only, then mprotect to read-exec), mprotect-written
 *   (FILE mapped read-write and private, one byte written, then mprotect
 *   to read-exec), mprotect-wx-text (its own code made
 *   read-write-exec), file-then-mprotect (FILE mapped executable, then
 *   a read-only mapping of it made read-exec), file-then-write (FILE
 *   mapped executable, then opened for writing), busy (FILE opened
 *   read-write, then mapped executable), devzero (/dev/zero mapped
 *   executable), personality (READ_IMPLIES_EXEC asked for),
 *   uffd-mprotect (anonymous memory registered with userfaultfd, then
 *   made read-exec), uffd-exec (FILE mapped executable, then registered
 *   with userfaultfd), set-exe (PR_SET_MM_EXE_FILE to FILE), memfd (a
 *   copy of FILE in a memfd mapped executable), tail (the last page of
 *   FILE, where an appended signature lies, mapped executable),
 *   mremap-grow (the first page of FILE mapped executable, then grown to
 *   two).
 *
 * self-mem-write: writes one byte over text_victim through /proc/self/mem
 *   and prints "pwrite=ok" or "pwrite errno=N", then "text=changed" or
 *   "text=unchanged".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/sendfile.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <asm/prctl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/userfaultfd.h>

#include "payload.h"

/* 8 bytes of text that never run: a tracer may try to write them. */
extern const unsigned char text_victim[8];
__asm__(".text\n"
	".p2align 3\n"
	".globl text_victim\n"
	".type text_victim, @function\n"
	"text_victim:\n\t"
	"ret\n\t"
	".fill 7, 1, 0xcc\n"
	".size text_victim, . - text_victim\n");

/* A writable word a tracer may change. */
volatile unsigned long data_victim = 0x1111111111111111UL;

static int run_cpl(int argc, char **argv)
{
	return 0;
}

static int run_exec(int argc, char **argv)
{
	exec_sibling(argc, argv);
}

static void wait_byte(void)
{
	char c;
	ssize_t n;

	say("ready");
	do
		n = read(STDIN_FILENO, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		fail("stdin: no byte (%zd, errno=%d)", n, errno);
}

static void wait_eof(void)
{
	char buf[64];
	ssize_t n;

	do
		n = read(STDIN_FILENO, buf, sizeof(buf));
	while (n > 0 || (n < 0 && errno == EINTR));
}

static int run_exec_after_stdin(int argc, char **argv)
{
	wait_byte();
	exec_sibling(argc, argv);
}

static int run_traceme_exec(int argc, char **argv)
{
	if (ptrace(PTRACE_TRACEME, 0, 0, 0))
		fail("PTRACE_TRACEME: errno=%d", errno);
	exec_sibling(argc, argv);
}

static int run_listener_exec(int argc, char **argv)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { .len = 1, .filter = &allow };
	bool keep;
	long fd;

	if (argc < 2 || (strcmp(argv[0], "keep") && strcmp(argv[0], "close")))
		fail("usage: listener-exec keep|close FILE [ARGS...]");
	keep = !strcmp(argv[0], "keep");
	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
		     &prog);
	if (fd < 0)
		fail("seccomp with a listener: errno=%d", errno);
	/* the listener is close-on-exec: keep it by clearing that */
	if (keep ? fcntl((int)fd, F_SETFD, 0) : close((int)fd))
		fail("listener fd: errno=%d", errno);
	say("listener=%s", argv[0]);
	exec_sibling(argc - 1, argv + 1);
}

static int run_wait(int argc, char **argv)
{
	say("text=%p data=%p", (const void *)text_victim, (void *)&data_victim);
	say("ready");
	wait_eof();
	say("after cpl=%d data=0x%lx text=0x%02x", current_cpl(), data_victim,
	    *(volatile const unsigned char *)text_victim);
	return 0;
}

/* Becomes nobody, dumpable so that nobody may read and profile it. */
static void become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534) || prctl(PR_SET_DUMPABLE, 1))
		fail("dropping to nobody: errno=%d", errno);
	say("uid=%d", (int)getuid());
}

static int run_drop_to_nobody(int argc, char **argv)
{
	say("entry=0x%lx", kml_entry);
	become_nobody();
	say("ready");
	wait_eof();
	return 0;
}

static int run_gsbase(int argc, char **argv)
{
	unsigned long gs = 0;

	if (syscall(SYS_arch_prctl, ARCH_GET_GS, &gs))
		say("get_gs errno=%d", errno);
	else
		say("get_gs=0x%lx", gs);
	say("set_gs errno=%d", syscall(SYS_arch_prctl, ARCH_SET_GS, gs) ? errno : 0);
	return 0;
}

/* PR_SET_TSC(PR_TSC_SIGSEGV): CR4.TSD cannot make rdtsc fault at CPL 0. */
static int run_tsc(int argc, char **argv)
{
	say("set_tsc errno=%d", prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0) ? errno : 0);
	say("rdtsc=%s", __builtin_ia32_rdtsc() ? "ran" : "zero");
	return 0;
}

static volatile sig_atomic_t stop_loop;

static void on_usr1(int sig)
{
	stop_loop = 1;
}

static int run_entry_loop(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	long ppid = getppid(), bad = 0, got;

	need_entry();
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL))
		fail("sigaction: errno=%d", errno);
	say("jump=%p", (const void *)entry_jump);
	if (argc > 0 && !strcmp(argv[0], "nobody"))
		become_nobody();
	say("ready");
	while (!stop_loop) {
		got = entry_call(SYS_getppid, 0, 0, 0);
		bad += got != ppid;
	}
	if (bad)
		fail("entry-loop: %ld wrong answers from getppid", bad);
	say("entry-loop: ok");
	return 0;
}

static int run_syscall_experiments(int argc, char **argv)
{
	static const char text[] = "abc\ndef\n";
	long pid = getpid(), ppid = getppid(), ret;

	if (dup2(STDOUT_FILENO, 9) != 9)
		fail("dup2: errno=%d", errno);
	wait_byte();

	ret = any_call(SYS_getppid, 0, 0, 0);
	say("a: %s", ret == pid ? "getpid" : ret == ppid ? "getppid" : "other");
	ret = any_call(SYS_write, 9, (long)text, 8);
	say("b: ret=%ld", ret);
	ret = any_call(SYS_getuid, 0, 0, 0);
	say("c: ret=%ld", ret);
	ret = any_call(SYS_getgid, 0, 0, 0);
	say("d: ret=%ld", ret);
	say("done");
	return 0;
}

/* Registers [p, p + len) with a new userfaultfd for missing pages: errno. */
static int uffd_register(void *p, size_t len)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = {
		.range = { .start = (unsigned long)p, .len = len },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	int fd = syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY);
	int ret;

	if (fd < 0)
		return errno;
	ret = ioctl(fd, UFFDIO_API, &api) || ioctl(fd, UFFDIO_REGISTER, &reg) ?
	      errno : 0;
	/* The fd stays open: the registration lasts as long as it does. */
	return ret;
}

/* The errno of mprotect(@p, PROT_READ | PROT_EXEC); 0 if granted. */
static int make_exec(void *p)
{
	return mprotect(p, 4096, PROT_READ | PROT_EXEC) ? errno : 0;
}

static int map_exec(const char *what, const char *file)
{
	const int anon = MAP_PRIVATE | MAP_ANONYMOUS;
	const int rx = PROT_READ | PROT_EXEC;
	int fd = -1, ret;
	void *p;

	if (file) {
		fd = open(file, (!strcmp(what, "busy") ? O_RDWR : O_RDONLY) | O_CLOEXEC);
		if (fd < 0)
			fail("open %s: errno=%d", file, errno);
	}
	if (!strcmp(what, "personality"))
		return personality(PER_LINUX | READ_IMPLIES_EXEC) == -1 ? errno : 0;
	if (!strcmp(what, "set-exe") && fd >= 0)
		return prctl(PR_SET_MM, PR_SET_MM_EXE_FILE, fd, 0, 0) ? errno : 0;
	if (!strcmp(what, "mprotect-wx-text"))
		return mprotect((void *)((uintptr_t)text_victim & ~4095UL), 4096,
				PROT_READ | PROT_WRITE | PROT_EXEC) ? errno : 0;
	if (!strcmp(what, "memfd") && fd >= 0) {
		int m = memfd_create("kml-copy", MFD_CLOEXEC);
		off_t size = lseek(fd, 0, SEEK_END), at = 0;

		if (m < 0 || sendfile(m, fd, &at, size) != size)
			fail("memfd copy: errno=%d", errno);
		return mmap(NULL, 4096, rx, MAP_PRIVATE, m, 0) == MAP_FAILED ? errno : 0;
	}
	if (!strcmp(what, "tail") && fd >= 0) {
		off_t last = (lseek(fd, 0, SEEK_END) - 1) & ~4095L;

		return mmap(NULL, 4096, rx, MAP_PRIVATE, fd, last) == MAP_FAILED ? errno : 0;
	}
	if (!strcmp(what, "tail-mprotect") && fd >= 0) {
		off_t last = (lseek(fd, 0, SEEK_END) - 1) & ~4095L;

		/* held and approved first, through a mapping of its start */
		if (mmap(NULL, 4096, rx, MAP_PRIVATE, fd, 0) == MAP_FAILED)
			return 1000 + errno;
		p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, last);
		return p == MAP_FAILED ? 2000 + errno : make_exec(p);
	}
	if (!strcmp(what, "mremap-grow") && fd >= 0) {
		p = mmap(NULL, 4096, rx, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED)
			return errno;
		return mremap(p, 4096, 8192, MREMAP_MAYMOVE) == MAP_FAILED ? errno : 0;
	}
	if (!strcmp(what, "devzero")) {
		fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			fail("open /dev/zero: errno=%d", errno);
		return mmap(NULL, 4096, rx, MAP_PRIVATE, fd, 0) == MAP_FAILED ? errno : 0;
	}
	if (!strcmp(what, "anon"))
		p = mmap(NULL, 4096, rx, anon, -1, 0);
	else if (!strcmp(what, "wx"))
		p = mmap(NULL, 4096, rx | PROT_WRITE, anon, -1, 0);
	else if ((!strcmp(what, "file") || !strcmp(what, "busy") ||
		  !strcmp(what, "file-then-mprotect") || !strcmp(what, "file-then-write") ||
		  !strcmp(what, "uffd-exec")) && fd >= 0)
		p = mmap(NULL, 4096, rx, MAP_PRIVATE, fd, 0);
	else if (!strcmp(what, "mprotect-anon") || !strcmp(what, "uffd-mprotect"))
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, anon, -1, 0);
	else if (!strcmp(what, "mprotect-file") && fd >= 0)
		p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	else if (!strcmp(what, "mprotect-written") && fd >= 0)
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	else
		fail("map-exec: unknown case %s (or FILE missing)", what);
	if (p == MAP_FAILED)
		return errno;
	if (!strcmp(what, "file-then-mprotect")) {
		p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
		return p == MAP_FAILED ? errno : make_exec(p);
	}
	if (!strcmp(what, "file-then-write")) {
		int w = open(file, O_WRONLY | O_CLOEXEC);

		return w < 0 ? errno : 0;
	}
	if (!strcmp(what, "uffd-exec"))
		return uffd_register(p, 4096);
	if (!strcmp(what, "uffd-mprotect")) {
		ret = uffd_register(p, 4096);
		return ret ? 1000 + ret : make_exec(p);
	}
	if (strncmp(what, "mprotect-", 9))
		return 0;
	if (!strcmp(what, "mprotect-written"))
		*(volatile char *)p = 1;
	ret = make_exec(p);
	munmap(p, 4096);
	if (fd >= 0)
		close(fd);
	return ret;
}

static int run_map_exec(int argc, char **argv)
{
	if (argc < 1)
		return 2;
	say("result errno=%d", map_exec(argv[0], argc > 1 ? argv[1] : NULL));
	return 0;
}

static int run_self_mem_write(int argc, char **argv)
{
	volatile const unsigned char *text = text_victim;
	unsigned char old = *text, new = 0x90;
	int fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		fail("open /proc/self/mem: errno=%d", errno);
	if (pwrite(fd, &new, 1, (off_t)(uintptr_t)text_victim) == 1)
		say("pwrite=ok");
	else
		say("pwrite errno=%d", errno);
	close(fd);
	say("text=%s", *text == old ? "unchanged" : "changed");
	return 0;
}

/* Async-signal-safe: one write of "sigbus code=N\n", then exit 0. */
static void on_sigbus(int sig, siginfo_t *si, void *ctx)
{
	char line[32] = "sigbus code=";
	char digits[12];
	int code = si->si_code, n = 0, len = 12;

	if (code < 0) {
		line[len++] = '-';
		code = -code;
	}
	do {
		digits[n++] = '0' + code % 10;
		code /= 10;
	} while (code);
	while (n)
		line[len++] = digits[--n];
	line[len++] = '\n';
	if (write(STDOUT_FILENO, line, len) != len)
		_exit(1);
	_exit(0);
}

/* TSC ticks in about 100 ms of CLOCK_MONOTONIC, scaled to one ms. */
static unsigned long tsc_per_ms(void)
{
	struct timespec pause = { .tv_nsec = 100 * 1000 * 1000 };
	unsigned long start = __builtin_ia32_rdtsc();

	nanosleep(&pause, NULL);
	return (__builtin_ia32_rdtsc() - start) / 100 ?: 1;
}

/* The first serial port (the console): data and line status registers. */
#define COM1_DATA 0x3f8
#define COM1_LSR 0x3fd
#define COM1_LSR_THRE 0x20

static unsigned char port_in(unsigned short port)
{
	unsigned char v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void port_out(unsigned short port, unsigned char v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

/* Polled output, as the kernel's early console does: no interrupt needed. */
static void serial_line(const char *prefix, const char *text)
{
	const char *parts[] = { "\r\n", prefix, text, "\r\n" };
	unsigned int i;
	const char *c;

	for (i = 0; i < ARRAY_SIZE(parts); i++) {
		for (c = parts[i]; *c; c++) {
			while (!(port_in(COM1_LSR) & COM1_LSR_THRE))
				__builtin_ia32_pause();
			port_out(COM1_DATA, *c);
		}
	}
}

static int run_mce_wait(int argc, char **argv)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO };
	unsigned long per_ms, start, budget;

	if (argc < 2)
		return 2;
	if (current_cpl())
		fail("mce-wait: needs CPL 0 (cli, port I/O)");
	if (argc > 2 && !strcmp(argv[2], "catch")) {
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGBUS, &sa, NULL))
			fail("sigaction: errno=%d", errno);
	}
	per_ms = tsc_per_ms();
	budget = strtoul(argv[0], NULL, 0) * per_ms;
	say("waiting");
	__asm__ volatile("cli" ::: "memory");
	serial_line("KML-HOST-REQUEST ", argv[1]);
	start = __builtin_ia32_rdtsc();
	while (__builtin_ia32_rdtsc() - start < budget)
		__builtin_ia32_pause();
	__asm__ volatile("sti" ::: "memory");
	say("no machine check");
	return 1;
}

const struct mode task_modes[] = {
	{ "cpl", "", run_cpl },
	{ "exec", "FILE [ARGS...]", run_exec },
	{ "exec-after-stdin", "FILE [ARGS...]", run_exec_after_stdin },
	{ "traceme-exec", "FILE [ARGS...]", run_traceme_exec },
	{ "listener-exec", "keep|close FILE [ARGS...]", run_listener_exec },
	{ "wait", "", run_wait },
	{ "drop-to-nobody", "", run_drop_to_nobody },
	{ "gsbase", "", run_gsbase },
	{ "tsc", "", run_tsc },
	{ "entry-loop", "[nobody]", run_entry_loop },
	{ "syscall-experiments", "", run_syscall_experiments },
	{ "mce-wait", "MS REQUEST [catch]", run_mce_wait },
	{ "map-exec", "CASE [FILE]", run_map_exec },
	{ "self-mem-write", "", run_self_mem_write },
	{ NULL, NULL, NULL },
};
