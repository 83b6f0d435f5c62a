// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own x86 selftests (tools/testing/selftests/x86, built by
 * build.mk next to this file) in three forms each: as built (ring 3),
 * marked by `kml mark` (ring 0, system calls through the syscall
 * instruction) and rewritten by `kml rewrite` (ring 0, direct calls).
 *
 * Cases, in order: cpl.probe checks that x86_cpl_probe runs at CPL 3 as
 * built and at CPL 0 with the direct entry in the other two forms. Then,
 * for every test in x86-selftests.list, x86.TEST.ring3 passes when TEST
 * passes at ring 3, and x86.TEST.ring0 and x86.TEST.rewritten pass when
 * that form's result (exit status, signal or timeout) is the ring-3 one.
 * The two tables below hold the exceptions, each with its reason; a
 * failing case prints what each form printed. README.md says more.
 *
 * Each form runs once, in its own process group with stdin from /dev/null
 * and stdout and stderr captured, and is killed with its group after
 * FORM_TIMEOUT seconds. Results live in shared memory, so a case compares
 * with what an earlier case ran.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kml_vmtest.h"

/* The tests to run, one name a line; the forms are files next to it. */
#define LIST_NAME "x86-selftests.list"
/* Another list (for a run outside the image). */
#define LIST_ENV "KML_X86_SELFTESTS_LIST"
#define PROBE_NAME "x86_cpl_probe"

#define FORM_TIMEOUT 60		/* seconds, then its process group is killed */
#define OUTPUT_MAX (16 << 10)	/* the last bytes of a form's output kept */
#define MAX_TESTS 64

enum form { RING3, RING0, REWRITTEN, NR_FORMS };
#define FORM(f) (1u << (f))

static const char *const form_names[NR_FORMS] = { "ring 3", "ring 0", "rewritten" };
static const char *const form_suffixes[NR_FORMS] = { "", ".ring0", ".rewritten" };

/*
 * KNOWN-RING3: tests that fail at ring 3 on the test VM, kernel and kml
 * aside. Their ring-3 case is an XFAIL with the reason; their other forms
 * are still compared with the ring-3 result. Filled from VM runs only:
 * an entry says what the run showed, never a guess.
 */
static const struct known_ring3 {
	const char *test;
	const char *reason;
} known_ring3[] = {
	{ "test_shadow_stack_64",
	  "exit 1 at ring 3: it prints '[SKIP] Could not enable Shadow stack' (the VM kernel has no user shadow stacks) but exits 1, not KSFT_SKIP" },
	{ "mov_ss_trap_64",
	  "SIGSEGV at ring 3 in every VM run here (QEMU 7.2 TCG, -cpu max), the ring-0 forms alike; the same kernel without the series does the same (make x86-baseline): QEMU's or 6.12's, not kml's" },
	{ NULL }
};

/*
 * EXPECTED-DIFFERENCES: a form whose result differs from ring 3 by design,
 * each read from the test's source. The case is an XFAIL when the form
 * gives exactly this result; any other result that differs from ring 3
 * fails it, and the ring-3 result itself makes it an XPASS (the entry is
 * stale).
 */
static const struct expected_difference {
	const char *test;
	unsigned int forms;
	const char *result;
	const char *reason;
} expected_differences[] = {
	{ "check_initial_reg_state_64", FORM(RING0), "exit 1",
	  "asserts FLAGS == 0x202 at the ELF entry; a ring-0 program starts with EFLAGS.AC set (SMAP, docs/ring0.md)" },
	{ "check_initial_reg_state_64", FORM(REWRITTEN), "exit 1",
	  "asserts FLAGS == 0x202 at the ELF entry; the rewriter's prologue runs before it and changes the arithmetic flags (0x246 even at ring 3), and AC is set" },
	{ "ioperm_64", FORM(RING0) | FORM(REWRITTEN), "exit 1",
	  "expects outb to port 0x80 to fault without ioperm(); at CPL 0 (<= IOPL) I/O instructions never fault" },
	{ "syscall_nt_64", FORM(RING0) | FORM(REWRITTEN), "signal SIGSEGV",
	  "resets EFLAGS to IF|FIXED after each case, clearing AC: at CPL 0 its next access to its own memory is a SMAP violation, a SIGSEGV (docs/ring0.md)" },
	{ "sigreturn_64", FORM(RING0) | FORM(REWRITTEN), "signal SIGSEGV",
	  "sigreturns into 32- and 16-bit code selectors; a ring-0 task keeps __KERNEL_CS (sigreturn does not change its selectors), so its 32-bit code runs as 64-bit" },
	{ "iopl_64", FORM(RING0) | FORM(REWRITTEN), "exit 1",
	  "expects CLI and STI to fault or be ignored after iopl(3), and outb to fault after iopl(0); at CPL 0 all of them execute" },
	{ NULL }
};

/* One form's run. */
struct result {
	bool done;		/* run (or tried) already */
	bool ran;		/* it was started; else what says why not */
	int exit_code;		/* -1 unless it exited */
	char what[96];		/* "exit N", "signal SIGxxx", "timeout (N s)" */
	size_t len;		/* of out, its last bytes */
	size_t lost;		/* bytes before those */
	char out[OUTPUT_MAX + 1];
};

struct selftest {
	char name[NAME_MAX + 1];
	struct result results[NR_FORMS];
};

/* Shared with every case: MAP_SHARED, set up before the harness forks. */
static struct selftest *tests, *probe;
static int nr_tests;
static char dir[PATH_MAX];	/* where the list and the forms are */
static int kml_load_result;	/* kml_load()'s */
static pid_t main_pid;

static __printf(2, 3) void set_what(struct result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->what, sizeof(r->what), fmt, ap);
	va_end(ap);
}

/* Ends a case with a kselftest code and the text its TAP line shows. */
static __printf(3, 4) void verdict(struct __test_metadata *_metadata, int code,
				   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(_metadata->results->reason,
		  sizeof(_metadata->results->reason), fmt, ap);
	va_end(ap);
	_metadata->exit_code = code;
}

/* Appends one read of fd to r->out, keeping its last OUTPUT_MAX bytes. */
static bool slurp(int fd, struct result *r)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0)
		return errno == EINTR;
	if (n == 0)
		return false;
	if (r->len + n > OUTPUT_MAX) {
		size_t drop = r->len + n - OUTPUT_MAX;

		memmove(r->out, r->out + drop, r->len - drop);
		r->len -= drop;
		r->lost += drop;
	}
	memcpy(r->out + r->len, buf, n);
	r->len += n;
	r->out[r->len] = '\0';
	return true;
}

/*
 * Collects the output of pid (leader of its process group) until it exits
 * (without a pidfd: until EOF) or FORM_TIMEOUT passes, then kills what is
 * left of the group and reads the rest. Whether it timed out.
 */
static bool collect(struct result *r, int out, pid_t pid)
{
	struct pollfd fds[2] = {
		{ .fd = out, .events = POLLIN },
		{ .fd = syscall(SYS_pidfd_open, pid, 0), .events = POLLIN },
	};
	long long deadline = kml_now_ms() + FORM_TIMEOUT * 1000LL;
	bool exited = false;

	while (!exited) {
		long long left = deadline - kml_now_ms();

		if (left <= 0)
			break;
		if (poll(fds, 2, left) <= 0)
			continue;
		if (fds[0].revents && !slurp(out, r))
			fds[0].fd = -1;		/* EOF: wait for the exit */
		exited = fds[1].fd >= 0 ? fds[1].revents : fds[0].fd < 0;
	}
	kill(-pid, SIGKILL);
	/* EOF once nothing of the group holds the pipe; a second at most. */
	fds[0].fd = out;
	while (poll(fds, 1, 1000) > 0 && slurp(out, r))
		;
	if (fds[1].fd >= 0)
		close(fds[1].fd);
	return !exited;
}

/* Runs one form of a test (NAME + suffix in dir) and records its result. */
static void run(const char *name, enum form f, struct result *r)
{
	char path[sizeof(dir) + NAME_MAX + 16];
	int out[2], exec_err[2], err, status;
	const char *sig;
	bool timed_out;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s%s", dir, name, form_suffixes[f]);
	r->exit_code = -1;
	if (pipe2(out, O_CLOEXEC)) {
		set_what(r, "not run: pipe: %s", strerror(errno));
		return;
	}
	if (pipe2(exec_err, O_CLOEXEC)) {
		set_what(r, "not run: pipe: %s", strerror(errno));
		close(out[0]);
		close(out[1]);
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(null, STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		dup2(out[1], STDERR_FILENO);
		execl(path, path, (char *)NULL);
		err = errno;
		if (write(exec_err[1], &err, sizeof(err)) < 0)
			_exit(126);
		_exit(127);
	}
	close(out[1]);
	close(exec_err[1]);
	if (pid < 0) {
		set_what(r, "not run: fork: %s", strerror(errno));
		close(out[0]);
		close(exec_err[0]);
		return;
	}
	setpgid(pid, pid);	/* whichever of the two runs first */
	timed_out = collect(r, out[0], pid);
	waitpid(pid, &status, 0);
	if (read(exec_err[0], &err, sizeof(err)) == sizeof(err)) {
		set_what(r, "not run: exec %s: %s", path, strerror(err));
	} else if (timed_out) {
		r->ran = true;
		set_what(r, "timeout (%d s)", FORM_TIMEOUT);
	} else if (WIFEXITED(status)) {
		r->ran = true;
		r->exit_code = WEXITSTATUS(status);
		set_what(r, "exit %d", r->exit_code);
	} else {
		r->ran = true;
		sig = sigabbrev_np(WTERMSIG(status));
		if (sig)
			set_what(r, "signal SIG%s", sig);
		else
			set_what(r, "signal %d", WTERMSIG(status));
	}
	close(out[0]);
	close(exec_err[0]);
}

/* A form's result, run on first use by whichever case needs it first. */
static const struct result *result_of(struct selftest *t, enum form f)
{
	struct result *r = &t->results[f];

	if (!r->done) {
		run(t->name, f, r);
		r->done = true;
	}
	return r;
}

/* Shows what a form printed, every line a TAP comment. */
static void show(const struct selftest *t, enum form f)
{
	const struct result *r = &t->results[f];
	const char *line = r->out, *end;

	kml_diag("---- %s%s (%s): %s; %s", t->name, form_suffixes[f],
		 form_names[f], r->what,
		 !r->len ? "no output" : r->lost ? "the end of its output:" : "its output:");
	if (r->lost)
		kml_diag("| [%zu bytes before]", r->lost);
	while (*line) {
		end = strchrnul(line, '\n');
		kml_diag("| %.*s", (int)(end - line), line);
		line = *end ? end + 1 : end;
	}
}

static bool same_result(const struct result *a, const struct result *b)
{
	return a->ran && b->ran && !strcmp(a->what, b->what);
}

static const struct known_ring3 *known_ring3_entry(const char *test)
{
	const struct known_ring3 *k;

	for (k = known_ring3; k->test; k++)
		if (!strcmp(k->test, test))
			return k;
	return NULL;
}

static const struct expected_difference *expected_entry(const char *test,
							enum form f)
{
	const struct expected_difference *e;

	for (e = expected_differences; e->test; e++)
		if (!strcmp(e->test, test) && (e->forms & FORM(f)))
			return e;
	return NULL;
}

/* Whether the probe's form f ran where that form must run. */
static bool probe_ok(enum form f)
{
	const struct result *r = result_of(probe, f);
	unsigned int cpl;
	char entry[4];

	if (r->exit_code != 0 ||
	    sscanf(r->out, "cs=%*x cpl=%u direct_entry=%3s", &cpl, entry) != 2)
		return false;
	if (f == RING3)
		return cpl == 3 && !strcmp(entry, "no");
	return cpl == 0 && !strcmp(entry, "yes");
}

FIXTURE(cpl) {};
FIXTURE_SETUP(cpl) {}
FIXTURE_TEARDOWN(cpl) {}

/* Before anything is compared: the forms run where they should. */
TEST_F_TIMEOUT(cpl, probe, NR_FORMS * FORM_TIMEOUT + 30)
{
	int bad = 0;
	enum form f;

	kml_diag("%s: %s", kml_ko_path(), kml_load_result == -EEXIST ? "was loaded already" :
		 kml_load_result < 0 ? strerror(-kml_load_result) : "loaded");
	for (f = 0; f < NR_FORMS; f++) {
		bool ok = probe_ok(f);

		kml_diag("%s: %s, %.*s", form_names[f], probe->results[f].what,
			 (int)strcspn(probe->results[f].out, "\n"),
			 probe->results[f].out);
		if (!ok) {
			show(probe, f);
			bad++;
		}
	}
	if (bad)
		verdict(_metadata, KSFT_FAIL,
			"%d form(s) not where they must run: ring 3 at CPL 3, ring 0 and rewritten at CPL 0 with the direct entry",
			bad);
	else
		verdict(_metadata, KSFT_PASS,
			"ring 3 at CPL 3, ring 0 and rewritten at CPL 0 with the direct entry");
}

FIXTURE(x86) {};
FIXTURE_VARIANT(x86) {
	struct selftest *test;
};
FIXTURE_SETUP(x86) {}
FIXTURE_TEARDOWN(x86) {}

/* The ring-3 case never runs more than one form; the others run two at most. */
TEST_F_TIMEOUT(x86, ring3, FORM_TIMEOUT + 30)
{
	struct selftest *t = variant->test;
	const struct result *r = result_of(t, RING3);
	const struct known_ring3 *k = known_ring3_entry(t->name);

	if (r->exit_code == 0) {
		if (k)
			verdict(_metadata, KSFT_XPASS,
				"exit 0, but listed in known_ring3: drop the entry");
		else
			verdict(_metadata, KSFT_PASS, "exit 0");
		return;
	}
	if (r->exit_code == KSFT_SKIP) {
		verdict(_metadata, KSFT_SKIP, "%s (skip) at ring 3: %.*s",
			r->what, (int)strcspn(r->out, "\n"), r->out);
		return;
	}
	show(t, RING3);
	if (k && r->ran)
		verdict(_metadata, KSFT_XFAIL, "%s: %s", r->what, k->reason);
	else
		verdict(_metadata, KSFT_FAIL, "%s at ring 3", r->what);
}

/*
 * NOT-AT-RING-0: tests whose ring-0 forms do what a ring-0 program must
 * not do and the kernel cannot stop at CPL 0 (docs/ring0.md, "What a
 * ring-0 program must not do"), so that the machine cannot survive them.
 * Their ring-0 forms are never started; their ring-3 case still runs.
 */
static const struct not_at_ring0 {
	const char *test;
	const char *reason;
} not_at_ring0[] = {
	{ "syscall_arg_fault_64",
	  "writes GS with wrgsbase: at CPL 0 that is the kernel's per-CPU base" },
	{ "fsgsbase_64",
	  "writes GS with wrgsbase: at CPL 0 that is the kernel's per-CPU base" },
	{ "ldt_gdt_64",
	  "loads GS from an LDT selector: at CPL 0 that replaces the kernel's per-CPU base" },
	{ "fsgsbase_restore_64",
	  "loads GS from an LDT selector: at CPL 0 that replaces the kernel's per-CPU base" },
	{ NULL }
};

static const char *not_at_ring0_reason(const char *test)
{
	const struct not_at_ring0 *n;

	for (n = not_at_ring0; n->test; n++)
		if (!strcmp(n->test, test))
			return n->reason;
	return NULL;
}

/* A ring-0 form: the ring-3 result, or the one expected_differences names. */
static void compare(struct __test_metadata *_metadata, struct selftest *t,
		    enum form f)
{
	const char *not_run = not_at_ring0_reason(t->name);
	const struct expected_difference *e = expected_entry(t->name, f);
	const struct result *r3, *r;
	bool same;

	if (not_run) {
		verdict(_metadata, KSFT_SKIP, "not run at CPL 0: %s", not_run);
		return;
	}
	r3 = result_of(t, RING3);
	r = result_of(t, f);
	same = same_result(r, r3);

	if (same && e) {
		verdict(_metadata, KSFT_XPASS,
			"%s as at ring 3, but expected_differences says %s: drop the entry",
			r->what, e->result);
	} else if (same && r->exit_code == KSFT_SKIP) {
		verdict(_metadata, KSFT_SKIP, "%s (skip) as at ring 3", r->what);
	} else if (same) {
		verdict(_metadata, KSFT_PASS, "%s as at ring 3", r->what);
	} else if (e && r->ran && !strcmp(r->what, e->result)) {
		verdict(_metadata, KSFT_XFAIL, "%s (ring 3: %s): %s",
			r->what, r3->what, e->reason);
	} else {
		show(t, RING3);
		show(t, f);
		verdict(_metadata, KSFT_FAIL, "%s, ring 3: %s%s%s", r->what,
			r3->what, e ? "; expected " : "", e ? e->result : "");
	}
	/* Without CPL 0 the comparison says nothing. */
	if (!probe_ok(f))
		verdict(_metadata, KSFT_FAIL,
			"%s, ring 3: %s; but the probe's %s form did not run at CPL 0 (see cpl.probe)",
			r->what, r3->what, form_names[f]);
}

TEST_F_TIMEOUT(x86, ring0, 2 * FORM_TIMEOUT + 30)
{
	compare(_metadata, variant->test, RING0);
}

TEST_F_TIMEOUT(x86, rewritten, 2 * FORM_TIMEOUT + 30)
{
	compare(_metadata, variant->test, REWRITTEN);
}

/* Reads the list into the shared area; 0 or -1 (with a message). */
static int read_list(void)
{
	char path[PATH_MAX], name[NAME_MAX + 1], *slash;
	const char *env = getenv(LIST_ENV);
	ssize_t n;
	FILE *list;

	if (env) {
		snprintf(path, sizeof(path), "%s", env);
	} else {
		n = readlink("/proc/self/exe", path, sizeof(path) - sizeof(LIST_NAME) - 1);
		if (n < 0) {
			ksft_print_msg("/proc/self/exe: %s\n", strerror(errno));
			return -1;
		}
		path[n] = '\0';
		strcpy(strrchr(path, '/') + 1, LIST_NAME);
	}
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");

	tests = mmap(NULL, (MAX_TESTS + 1) * sizeof(*tests), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (tests == MAP_FAILED) {
		ksft_print_msg("mmap: %s\n", strerror(errno));
		return -1;
	}
	probe = &tests[MAX_TESTS];
	strcpy(probe->name, PROBE_NAME);

	list = fopen(path, "re");
	if (!list) {
		ksft_print_msg("%s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(name, sizeof(name), list)) {
		name[strcspn(name, "\n")] = '\0';
		if (!name[0] || name[0] == '#')
			continue;
		if (nr_tests == MAX_TESTS) {
			ksft_print_msg("%s: more than %d tests\n", path, MAX_TESTS);
			fclose(list);
			return -1;
		}
		strcpy(tests[nr_tests++].name, name);
	}
	fclose(list);
	if (!nr_tests) {
		ksft_print_msg("%s: no tests\n", path);
		return -1;
	}
	return 0;
}

/* One variant of the x86 fixture per test (the harness's own registry). */
static void register_tests(void)
{
	static struct __fixture_variant_metadata meta[MAX_TESTS];
	static FIXTURE_VARIANT(x86) data[MAX_TESTS];
	int i;

	for (i = 0; i < nr_tests; i++) {
		data[i].test = &tests[i];
		meta[i].name = tests[i].name;
		meta[i].data = &data[i];
		__register_fixture_variant(&_x86_fixture_object, &meta[i]);
	}
}

/* A line a form, if anything ran. */
static void print_summary(void)
{
	int passed = 0, known = 0, run3 = 0, i;
	enum form f;

	for (i = 0; i < nr_tests; i++) {
		const struct result *r = &tests[i].results[RING3];

		if (!r->done)
			continue;
		run3++;
		if (r->exit_code == 0 || r->exit_code == KSFT_SKIP)
			passed++;
		else if (known_ring3_entry(tests[i].name))
			known++;
	}
	if (!run3)
		return;
	ksft_print_msg("ring 3: %d of %d passed or skipped, %d failed (%d of them known)\n",
		       passed, run3, run3 - passed, known);
	for (f = RING0; f < NR_FORMS; f++) {
		int same = 0, differ = 0, expected = 0;

		for (i = 0; i < nr_tests; i++) {
			const struct result *r = &tests[i].results[f];

			if (!r->done || !tests[i].results[RING3].done)
				continue;
			if (same_result(r, &tests[i].results[RING3])) {
				same++;
			} else {
				const struct expected_difference *e =
					expected_entry(tests[i].name, f);

				differ++;
				expected += e && r->ran && !strcmp(r->what, e->result);
			}
		}
		ksft_print_msg("%s: %d same as ring 3, %d differ (%d of them expected)\n",
			       form_names[f], same, differ, expected);
	}
}

/* At exit of the main process: the summary, then kml.ko goes if we loaded it. */
static void summary(void)
{
	if (getpid() != main_pid)
		return;
	print_summary();
	kml_release(kml_load_result == 0);
}

int main(int argc, char **argv)
{
	main_pid = getpid();
	/* First: marked programs run at ring 0 only with kml.ko loaded. */
	kml_load_result = kml_load();
	if (read_list())
		return KSFT_FAIL;
	register_tests();
	atexit(summary);
	return test_harness_run(argc, argv);
}
