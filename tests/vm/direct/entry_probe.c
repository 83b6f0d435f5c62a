// SPDX-License-Identifier: GPL-2.0
/*
 * entry-probe: calls the kernel's entry for ring-0 tasks (AT_KML_ENTRY)
 * directly, a known number of times, so that the VM tests can compare what
 * it gets with what the syscall instruction gives and check the per-program
 * counters in /sys/kernel/kml/programs against exact numbers.
 *
 * Installed rewritten by `kml rewrite` (entry-probe.kml: AT_KML_ENTRY is
 * the direct entry, and libc's own system calls go through it too) and
 * that copy with the marker's bypass flag (entry-probe.bypass: the bypass
 * entry). The one syscall instruction the rewriter must leave is the
 * probe's own, probe_slow_site: an endbr64 before it and a ret after it
 * leave no instruction it could move. Modes:
 *
 *   ids N      N times each: getpid, getppid, gettid (the bypass set) and
 *              getuid (not in it) through the entry; every answer must
 *              equal the syscall instruction's, made once each at the
 *              instruction printed as "site=0x...".
 *   pidns      in a child in a new PID namespace, getpid, getppid and
 *              gettid through the entry must say 1, 0 and 1.
 *   fork K N   K children, each N getppid calls through the entry.
 *   wait       prints "ready" and waits until stdin closes.
 *   entry      prints "entry=0x..." (the entry it was given).
 *
 * It prints "pid=<its pid>" first and exits 0 only if every check held.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/kml_abi.h>

unsigned long probe_entry;

/* The entry: jump with the return address in %rcx (see docs/syscall-shim.md). */
static long entry_call(long nr)
{
	long ret = nr;

	asm volatile("0: lea 1f(%%rip), %%rcx\n\t"
		     "jmp *probe_entry(%%rip)\n\t"
		     "jmp 0b\n"
		     "1:"
		     : "+a"(ret)
		     :
		     : "rcx", "r11", "memory", "cc");
	return ret;
}

/*
 * The syscall instruction, at one address the tests can look for, and one
 * that `kml rewrite` leaves: it may not move an endbr64 (a landing pad) or
 * a ret, and two bytes are too few for the jump that would replace it.
 */
long probe_slow_call(long nr);
asm(".text\n"
    ".globl probe_slow_call\n"
    ".type probe_slow_call, @function\n"
    "probe_slow_call:\n\t"
    "mov %rdi, %rax\n\t"
    "endbr64\n"
    ".globl probe_slow_site\n"
    "probe_slow_site:\n\t"
    "syscall\n\t"
    "ret\n"
    ".size probe_slow_call, . - probe_slow_call\n");
extern const char probe_slow_site[];

static int failures;

static void expect(const char *what, long got, long want)
{
	if (got != want) {
		printf("FAIL %s: got %ld, want %ld\n", what, got, want);
		failures++;
	}
}

static void ids(long n)
{
	long pid = probe_slow_call(SYS_getpid);
	long ppid = probe_slow_call(SYS_getppid);
	long tid = probe_slow_call(SYS_gettid);
	long uid = getuid();

	printf("site=%p\n", (void *)probe_slow_site);
	for (long i = 0; i < n; i++) {
		expect("getpid", entry_call(SYS_getpid), pid);
		expect("getppid", entry_call(SYS_getppid), ppid);
		expect("gettid", entry_call(SYS_gettid), tid);
		expect("getuid", entry_call(SYS_getuid), uid);
	}
}

static void pidns(void)
{
	pid_t child;
	int status;

	if (unshare(CLONE_NEWPID)) {
		perror("unshare(CLONE_NEWPID)");
		exit(1);
	}
	child = fork();
	if (child == 0) {
		failures = 0;
		expect("getpid in the new namespace", entry_call(SYS_getpid), 1);
		expect("getppid in the new namespace", entry_call(SYS_getppid), 0);
		expect("gettid in the new namespace", entry_call(SYS_gettid), 1);
		fflush(stdout);
		_exit(failures ? 1 : 0);
	}
	if (child < 0 || waitpid(child, &status, 0) != child ||
	    !WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("FAIL the child in the new namespace\n");
		failures++;
	}
}

static void forks(long k, long n)
{
	long parent = getpid();

	for (long c = 0; c < k; c++) {
		pid_t child = fork();
		int status;

		if (child == 0) {
			failures = 0;
			for (long i = 0; i < n; i++)
				expect("getppid in a child", entry_call(SYS_getppid), parent);
			fflush(stdout);
			_exit(failures ? 1 : 0);
		}
		if (child < 0 || waitpid(child, &status, 0) != child ||
		    !WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("FAIL child %ld\n", c);
			failures++;
		}
	}
}

static void wait_for_stdin(void)
{
	char c;

	printf("ready\n");
	fflush(stdout);
	while (read(STDIN_FILENO, &c, 1) > 0)
		;
}

static long number(const char *s)
{
	char *end;
	long v = strtol(s ? s : "", &end, 10);

	if (!s || !*s || *end || v < 0) {
		fprintf(stderr, "entry-probe: '%s' is not a count\n", s ? s : "");
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	probe_entry = getauxval(AT_KML_ENTRY);
	printf("pid=%d\n", getpid());
	if (!probe_entry) {
		printf("FAIL no AT_KML_ENTRY: not running at ring 0\n");
		return 1;
	}
	if (argc == 3 && !strcmp(argv[1], "ids"))
		ids(number(argv[2]));
	else if (argc == 2 && !strcmp(argv[1], "pidns"))
		pidns();
	else if (argc == 4 && !strcmp(argv[1], "fork"))
		forks(number(argv[2]), number(argv[3]));
	else if (argc == 2 && !strcmp(argv[1], "wait"))
		wait_for_stdin();
	else if (argc == 2 && !strcmp(argv[1], "entry"))
		printf("entry=0x%lx\n", probe_entry);
	else {
		fprintf(stderr, "usage: entry-probe ids N | pidns | fork K N | wait | entry\n");
		return 2;
	}
	printf("%s\n", failures ? "FAILED" : "OK");
	return failures ? 1 : 0;
}
