// SPDX-License-Identifier: GPL-2.0
/*
 * Programs rewritten by `kml rewrite` (their syscall sites turned into
 * jumps to the kernel's direct entry, AT_KML_ENTRY) behave at ring 0
 * exactly like the original program at ring 3. The subject is Debian's
 * busybox-static: busybox.plain is the original, busybox.kml the rewritten
 * and marked copy. Each case runs the same command with both and compares
 * output and exit status, and checks that the rewritten copy was started
 * at ring 0 (ring0_execs grows).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kml_vmtest.h"

#define TESTS "/kml/tests/"
#define PLAIN TESTS "busybox.plain"
#define KML TESTS "busybox.kml"

/* Runs "/bin/sh -c CMD" with @bb substituted for every %s; collects stdout. */
static int run_shell(struct child *r, const char *fmt, const char *bb)
{
	char cmd[1024];
	char *argv[] = { "/bin/sh", "-c", cmd, NULL };

	snprintf(cmd, sizeof(cmd), fmt, bb, bb, bb, bb);
	return kml_run(r, argv, NULL, CHILD_STDERR_INHERITED, NULL);
}

static long read_ring0_execs(void)
{
	char buf[32] = "";
	int fd = open("/sys/kernel/kml/ring0_execs", O_RDONLY);

	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = '\0';
	close(fd);
	return strtol(buf, NULL, 10);
}

FIXTURE(rewritten) {
	bool loaded_here;
};

FIXTURE_SETUP(rewritten)
{
	int ret = kml_ensure_loaded(&self->loaded_here);

	ASSERT_EQ(0, ret) TH_LOG("loading kml.ko: %s", strerror(-ret));
}

FIXTURE_TEARDOWN(rewritten)
{
	kml_release(self->loaded_here);
}

/* The same command, original at ring 3 and rewritten at ring 0. */
static void expect_same(struct __test_metadata *_metadata, const char *fmt,
			int ring0_runs)
{
	static struct child plain, kml;
	long before;

	ASSERT_EQ(0, run_shell(&plain, fmt, PLAIN));
	before = read_ring0_execs();
	ASSERT_EQ(0, run_shell(&kml, fmt, KML));
	/* At least these execs were at ring 0 (busybox may re-exec itself). */
	EXPECT_LE(before + ring0_runs, read_ring0_execs());
	EXPECT_STREQ(plain.output, kml.output);
	EXPECT_EQ(plain.status, kml.status);
	EXPECT_NE(0U, strlen(plain.output)) TH_LOG("the command printed nothing");
}

TEST_F(rewritten, sh_runs_a_loop)
{
	expect_same(_metadata, "%s sh -c 'for i in 1 2 3; do echo $i; done; exit 3'", 1);
}

TEST_F(rewritten, sort_sorts_a_pipe)
{
	expect_same(_metadata, "printf 'pear\\napple\\nfig\\n' | %s sort", 1);
}

TEST_F(rewritten, md5sum_hashes_a_file)
{
	expect_same(_metadata, "%s md5sum /kml/kml.ko | cut -c1-32", 1);
}

TEST_F(rewritten, gzip_round_trip_is_lossless)
{
	expect_same(_metadata,
		    "%s gzip -c /kml/tests.list | %s gzip -dc | %s md5sum", 3);
}

TEST_F(rewritten, find_walks_a_directory)
{
	expect_same(_metadata, "%s find /kml -maxdepth 1 -name 'tests*' | sort", 1);
}

TEST_F(rewritten, sh_forks_pipelines_and_waits)
{
	expect_same(_metadata,
		    "%s sh -c 'seq 1 200 | while read n; do echo $((n * n)); done | tail -n 3'",
		    1);
}

/* Runs NAME.plain (ring 3), then NAME.kml, which must start at ring 0. */
static void run_both(struct __test_metadata *_metadata, const char *name,
		     struct child *plain, struct child *kml)
{
	char path[64];
	long before;

	snprintf(path, sizeof(path), TESTS "%s.plain", name);
	ASSERT_EQ(0, run_shell(plain, path, ""));
	snprintf(path, sizeof(path), TESTS "%s.kml", name);
	before = read_ring0_execs();
	ASSERT_EQ(0, run_shell(kml, path, ""));
	EXPECT_EQ(before + 1, read_ring0_execs());
}

/*
 * The rewriter's own site classes (tests/rewrite/programs/sites.S, no
 * libc): registers, flags and red-zone data checked across every kind of
 * rewritten site, now through the kernel's real direct entry at CPL 0.
 */
TEST_F(rewritten, site_classes_keep_registers_flags_and_red_zone)
{
	static struct child plain, kml;

	run_both(_metadata, "sites", &plain, &kml);
	ASSERT_TRUE(WIFEXITED(kml.status));
	EXPECT_EQ(0, WEXITSTATUS(kml.status));
	EXPECT_STREQ(plain.output, kml.output);
	EXPECT_NE(NULL, strstr(kml.output, "sites ok"));
}

/*
 * tests/vm/direct/semantics.c: restart after SA_RESTART, EINTR without it,
 * a system call from a signal handler, threads, vfork + exec, and a
 * seccomp filter the program installs itself, all through the direct
 * entry at ring 0, exactly as through syscall at ring 3.
 */
TEST_F(rewritten, direct_calls_keep_restart_signals_threads_and_seccomp)
{
	static struct child plain, kml;

	run_both(_metadata, "semantics", &plain, &kml);
	EXPECT_EQ(0, plain.status) TH_LOG("ring 3:\n%s", plain.output);
	EXPECT_EQ(0, kml.status) TH_LOG("ring 0:\n%s", kml.output);
	EXPECT_STREQ(plain.output, kml.output);
}

/*
 * A libc crash path dies at ring 0 as at ring 3 (tests/vm/direct/
 * crash_path.c): musl's __stack_chk_fail is a hlt, a SIGSEGV at ring 3.
 * At ring 0 a hlt would wait for an interrupt and return into a program
 * that knows its stack is smashed; the rewriter made it 0x06, a #UD, so
 * the program dies of SIGILL before it prints anything.
 */
TEST_F(rewritten, a_libc_crash_path_still_kills_at_ring0)
{
	static struct child plain, kml;
	char *plain_argv[] = { TESTS "crash-path.plain", NULL };
	char *kml_argv[] = { TESTS "crash-path.kml", NULL };
	long before;

	ASSERT_EQ(0, kml_run(&plain, plain_argv, NULL, CHILD_STDERR_WITH_OUTPUT, NULL));
	ASSERT_TRUE(WIFSIGNALED(plain.status)) TH_LOG("ring 3: %s", plain.output);
	EXPECT_EQ(SIGSEGV, WTERMSIG(plain.status));
	before = read_ring0_execs();
	ASSERT_EQ(0, kml_run(&kml, kml_argv, NULL, CHILD_STDERR_WITH_OUTPUT, NULL));
	EXPECT_EQ(before + 1, read_ring0_execs());
	ASSERT_TRUE(WIFSIGNALED(kml.status))
		TH_LOG("ring 0: status 0x%x, output '%s'", kml.status, kml.output);
	EXPECT_EQ(SIGILL, WTERMSIG(kml.status));
	EXPECT_STREQ("", kml.output);
}

/*
 * The same with a handler that returns: the crash path is a fault at both
 * rings, so the handler runs again and again (it exits on the third) and
 * the program never gets past it. A trap such as int3 would resume after
 * the instruction, out of the crash path.
 */
TEST_F(rewritten, a_returning_handler_does_not_get_past_the_crash_path)
{
	static struct child plain, kml;
	char *plain_argv[] = { TESTS "crash-path.plain", "handler", NULL };
	char *kml_argv[] = { TESTS "crash-path.kml", "handler", NULL };

	ASSERT_EQ(0, kml_run(&plain, plain_argv, NULL, CHILD_STDERR_WITH_OUTPUT, NULL));
	ASSERT_TRUE(WIFEXITED(plain.status)) TH_LOG("ring 3: 0x%x", plain.status);
	EXPECT_EQ(3, WEXITSTATUS(plain.status));
	ASSERT_EQ(0, kml_run(&kml, kml_argv, NULL, CHILD_STDERR_WITH_OUTPUT, NULL));
	ASSERT_TRUE(WIFEXITED(kml.status))
		TH_LOG("ring 0: status 0x%x, output '%s'", kml.status, kml.output);
	EXPECT_EQ(3, WEXITSTATUS(kml.status)) TH_LOG("ring 0: '%s'", kml.output);
	EXPECT_STREQ("", kml.output);
}

TEST_HARNESS_MAIN
