// SPDX-License-Identifier: GPL-2.0
/*
 * What the kernel does with exec_check()'s verdict when the module gives
 * one outside its contract (include/linux/kml.h): KML_EXEC_RING0,
 * KML_EXEC_BYPASS (only where the kernel offers the bypass), 0 or a
 * negative errno. kml.ko never gives another, so kml_verdict.ko
 * (tests/vm/module) stands in for it and gives what the test sets: every
 * other value fails the exec with EINVAL, whatever else is true (a
 * tracer included), and the module hears of the approval it gave.
 *
 * kml.ko is unloaded for the test and loaded again after it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kml_vmtest.h"

#define PROBE "entry-probe.bypass"
#define KML_EXEC_RING0 1
#define KML_EXEC_BYPASS 3
#define PARAMS "/sys/module/kml_verdict/parameters/"

static int set_verdict(int verdict)
{
	char text[32];
	int fd = open(PARAMS "verdict", O_WRONLY | O_CLOEXEC);
	int len = snprintf(text, sizeof(text), "%d", verdict);
	int ret;

	if (fd < 0)
		return -errno;
	ret = write(fd, text, len) == len ? 0 : -errno;
	close(fd);
	return ret;
}

static long aborts(void)
{
	char text[32] = "";
	int fd = open(PARAMS "aborts", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	return n > 0 ? strtol(text, NULL, 10) : -1;
}

/* The probe's exec under @verdict: 0 if it ran, else its errno. */
static int exec_errno(struct __test_metadata *_metadata, int verdict)
{
	const char *const args[] = { "entry", NULL };
	struct child c;

	if (set_verdict(verdict)) {
		TH_LOG("cannot set the verdict %d", verdict);
		return -1;
	}
	if (child_spawn(&c, PROBE, args, NULL))
		return c.exec_errno;
	EXPECT_EQ(0, child_finish(&c, 10000));
	EXPECT_EQ(0, child_exit(&c)) TH_LOG("verdict %d: %s", verdict, c.output);
	return 0;
}

FIXTURE(verdict) {
	bool kml_was_loaded;
};

FIXTURE_SETUP(verdict)
{
	char params[512];

	if (access(payload_path("kml_verdict.ko"), R_OK))
		SKIP(return, "kml_verdict.ko is not in this image");
	self->kml_was_loaded = kml_listed();
	if (self->kml_was_loaded)
		ASSERT_EQ(0, kml_unload_wait(10000));
	snprintf(params, sizeof(params), "path=%s", payload_path(PROBE));
	ASSERT_EQ(0, module_load(payload_path("kml_verdict.ko"), params));
}

FIXTURE_TEARDOWN(verdict)
{
	int ret;

	children_kill_all();
	ret = module_unload_wait("kml_verdict", 10000);
	EXPECT_TRUE(ret == 0 || ret == -ENOENT) TH_LOG("%s", strerror(-ret));
	if (self->kml_was_loaded)
		EXPECT_EQ(0, kml_load());
}

TEST_F(verdict, a_positive_verdict_the_contract_does_not_name_fails_with_EINVAL)
{
	const int verdicts[] = { 2, 4, 5, 7, 0x100, INT_MAX };
	unsigned int i;

	for (i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++) {
		long before = aborts();

		EXPECT_EQ(EINVAL, exec_errno(_metadata, verdicts[i]))
			TH_LOG("verdict %d", verdicts[i]);
		/* The module approved, as it thinks: it hears of the abort. */
		EXPECT_EQ(before + 1, aborts()) TH_LOG("verdict %d", verdicts[i]);
	}
}

TEST_F(verdict, a_negative_verdict_that_is_no_errno_fails_with_EINVAL)
{
	const int verdicts[] = { -4096, -5000, -65536, INT_MIN };
	unsigned int i;

	for (i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++) {
		long before = aborts();

		EXPECT_EQ(EINVAL, exec_errno(_metadata, verdicts[i]))
			TH_LOG("verdict %d", verdicts[i]);
		EXPECT_EQ(before, aborts()) TH_LOG("verdict %d", verdicts[i]);
	}
}

TEST_F(verdict, an_errno_verdict_fails_the_exec_with_that_errno)
{
	EXPECT_EQ(EPERM, exec_errno(_metadata, -EPERM));
	EXPECT_EQ(EACCES, exec_errno(_metadata, -EACCES));
	/* The highest errno there is still is one. */
	EXPECT_EQ(4095, exec_errno(_metadata, -4095));
}

TEST_F(verdict, zero_runs_the_program_as_usual)
{
	const char *const args[] = { "entry", NULL };
	struct child c;

	ASSERT_EQ(0, set_verdict(0));
	ASSERT_EQ(0, payload_run(&c, PROBE, args));
	/* At CPL 3 it has no AT_KML_ENTRY, and says so. */
	EXPECT_EQ(1, child_exit(&c)) TH_LOG("%s", c.output);
	EXPECT_TRUE(child_said(&c, "FAIL no AT_KML_ENTRY: not running at ring 0"));
}

TEST_F(verdict, the_ring0_verdict_runs_the_program_at_cpl0)
{
	EXPECT_EQ(0, exec_errno(_metadata, KML_EXEC_RING0));
}

TEST_F(verdict, the_bypass_verdict_is_refused_only_where_it_is_not_offered)
{
	long before = aborts();

	if (kml_strict_smep_booted()) {
		EXPECT_EQ(EINVAL, exec_errno(_metadata, KML_EXEC_BYPASS));
		EXPECT_EQ(before + 1, aborts());
	} else {
		EXPECT_EQ(0, exec_errno(_metadata, KML_EXEC_BYPASS));
		EXPECT_EQ(before, aborts());
	}
}

/*
 * A tracer turns an approval into CPL 3; it does not turn a bad verdict
 * into one: the check comes first.
 */
TEST_F(verdict, a_bad_verdict_fails_a_traced_exec_too)
{
	int status;
	pid_t pid;

	ASSERT_EQ(0, set_verdict(2));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char *const argv[] = { (char *)payload_path(PROBE), "entry", NULL };

		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
			_exit(2);
		execv(argv[0], argv);
		_exit(errno == EINVAL ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	if (WIFSTOPPED(status)) {
		/* The exec went through: it stopped on its SIGTRAP. */
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		ASSERT_TRUE(false) TH_LOG("the traced exec ran");
	}
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("execv's errno was not EINVAL");
}

TEST_HARNESS_MAIN
