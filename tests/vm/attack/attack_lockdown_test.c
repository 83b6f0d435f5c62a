// SPDX-License-Identifier: GPL-2.0
/*
 * Finding 10: kernel lockdown. At "integrity", root may no longer change
 * the running kernel (unsigned modules, /dev/mem, kprobes ...). A ring-0
 * task is code at CPL 0: starting one is refused once the kernel is locked
 * down unless kml's gate is sealed (then the gate's signed verdicts
 * decide, and root cannot widen them), and attaching to one to run code
 * in it is refused always. The exec of a marked program then fails with
 * EPERM or runs at CPL 3; PTRACE_ATTACH to a ring-0 task that was started
 * before the lockdown fails with EPERM.
 *
 * THIS PROGRAM MUST RUN LAST: lockdown cannot be lowered until the next
 * boot, and afterwards kml.ko cannot be loaded again (unsigned), debugfs
 * (kmemleak) is closed and every later ring-0 test would fail. build.mk
 * lists it last in attack-tests.list, which the top Makefile appends to
 * tests.list after every other list. So that the run still checks for
 * leaks, it asks kmemleak for its report before locking down.
 *
 * It never locks down a kernel that does not run marked programs at CPL 0
 * (a development machine running the suite by hand): those tests skip.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "attack.h"

#define SECURITYFS "/sys/kernel/security"
#define LOCKDOWN SECURITYFS "/lockdown"
#define KMEMLEAK "/sys/kernel/debug/kmemleak"
/* kmemleak reports objects unreferenced for 5 s (run-tests.sh waits as long). */
#define KMEMLEAK_AGE_S 6

/*
 * kml.ko stays loaded when each test ends: once the kernel is locked down
 * an unsigned module cannot be loaded again.
 */
FIXTURE(lockdown) { struct attack_env env; };
FIXTURE_SETUP(lockdown) { attack_env_setup(&self->env); }
FIXTURE_TEARDOWN(lockdown)
{
	self->env.ring0.loaded_by_us = false;
	EXPECT_EQ(0, ring0_env_teardown(&self->env.ring0));
	EXPECT_EQ(self->env.tainted, kernel_tainted()) TH_LOG("the kernel is tainted now");
}

/* The lockdown file, with securityfs mounted if /init did not: its text, or -errno. */
static int lockdown_state(char *buf, size_t size)
{
	ssize_t n;
	int fd;

	if (access(LOCKDOWN, F_OK))
		mount("securityfs", SECURITYFS, "securityfs", 0, NULL);
	fd = open(LOCKDOWN, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

static bool locked_down(const char *state)
{
	return strstr(state, "[integrity]") || strstr(state, "[confidentiality]");
}

/* Copies kmemleak's report to stdout, where the runner looks for leaks. */
static void report_leaks_now(void)
{
	char buf[4096];
	ssize_t n;
	int fd = open(KMEMLEAK, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return;
	sleep(KMEMLEAK_AGE_S);
	if (write(fd, "scan", 4) == 4) {
		lseek(fd, 0, SEEK_SET);
		fflush(stdout);
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			if (write(STDOUT_FILENO, buf, n) != n)
				break;
	}
	close(fd);
}

/*
 * Locks the kernel down at "integrity", unless it is already: 0, -ENOENT
 * without the lockdown LSM, -EOPNOTSUPP if this kernel does not run
 * marked programs at CPL 0 (then it is left alone).
 */
static int lock_down(const struct attack_env *env)
{
	char state[128];
	int fd, ret = lockdown_state(state, sizeof(state));

	if (ret)
		return ret;
	if (locked_down(state))
		return 0;
	if (!env->ring0.ring0)
		return -EOPNOTSUPP;
	report_leaks_now();
	fd = open(LOCKDOWN, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = write(fd, "integrity", 9) == 9 ? 0 : -errno;
	close(fd);
	if (ret)
		return ret;
	ret = lockdown_state(state, sizeof(state));
	return ret ? ret : locked_down(state) ? 0 : -EINVAL;
}

/* In a test body: lock the kernel down, or skip (fail) as REQUIRE_RING0 does. */
#define REQUIRE_LOCKDOWN(env) do {					\
	int _ret = lock_down(env);					\
									\
	if (_ret == -ENOENT)						\
		SKIP(return, "no lockdown LSM (%s)", LOCKDOWN);		\
	if (_ret == -EOPNOTSUPP)					\
		REQUIRE_RING0(&(env)->ring0);				\
	ASSERT_EQ(0, _ret) TH_LOG("locking down: %s", strerror(-_ret)); \
} while (0)

/* Runs first: it needs a ring-0 task from before the lockdown. */
TEST_F_TIMEOUT(lockdown, attach_to_a_ring0_task_started_before_lockdown_is_eperm, 180)
{
	struct child c;
	int status, err;
	long ret;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	ASSERT_EQ(0, spawn_ready(&c, ATTACK_RING0, (const char *[]){ "wait", NULL }, -1))
		TH_LOG("%s", c.output);
	ASSERT_TRUE(child_said(&c, "cpl=0")) TH_LOG("%s", c.output);
	REQUIRE_LOCKDOWN(&self->env);

	ret = ptrace(PTRACE_ATTACH, c.pid, 0, 0);
	err = errno;
	EXPECT_EQ(-1, ret) TH_LOG("PTRACE_ATTACH to a ring-0 task worked under lockdown");
	EXPECT_EQ(EPERM, err) TH_LOG("PTRACE_ATTACH: %s", strerror(err));
	if (!ret && waitpid(c.pid, &status, 0) == c.pid)
		ptrace(PTRACE_DETACH, c.pid, 0, 0);
	ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));
	EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
}

TEST_F_TIMEOUT(lockdown, exec_of_a_marked_program_is_eperm_or_runs_at_cpl3, 180)
{
	struct child c;
	int ret;

	REQUIRE_PAYLOAD(ATTACK_RING0);
	REQUIRE_LOCKDOWN(&self->env);
	ASSERT_TRUE(kml_listed()) TH_LOG("kml.ko must still be loaded");

	ret = payload_run(&c, ATTACK_RING0, (const char *[]){ "cpl", NULL });
	if (ret) {
		TH_LOG("exec refused: %s", strerror(-ret));
		EXPECT_EQ(-EPERM, ret);
	} else {
		TH_LOG("ran: %s", c.output);
		EXPECT_EQ(0, child_exit(&c));
		EXPECT_STREQ("cpl=3\n", c.output);
	}
}

#define GATE_SYSFS "/sys/kernel/kml/"


/* Execs @payload "cpl": 0, or the execve errno as -errno. */
static int exec_errno(const char *payload)
{
	struct child c;

	return payload_run(&c, payload, (const char *[]){ "cpl", NULL });
}

/*
 * Runs last (it seals the gate until reboot). Under lockdown the gate,
 * once sealed, decides: its refusals are its own reasons, not not-sealed;
 * the policy only gets stricter; ".kml" is trusted no more; kml.ko stays.
 * The test payloads are `trusted`, below the default policy; the one
 * program `kml build` made (`verified`, signed by the test CA) runs at
 * CPL 0, under lockdown.
 */
TEST_F_TIMEOUT(lockdown, a_sealed_gate_decides_under_lockdown, 180)
{
	long long execs;
	long ring, key;
	struct child c;

	REQUIRE_PAYLOAD(ATTACK_RING0);
	REQUIRE_PAYLOAD("wordcount.verified");
	REQUIRE_LOCKDOWN(&self->env);
	ASSERT_TRUE(kml_listed()) TH_LOG("kml.ko must still be loaded");

	/* a key of .kml, trusted while the gate is not sealed */
	ring = keyring_serial(".kml");
	ASSERT_LT(0, ring);
	key = kml_enrol(payload_path("devkey.der"), ring, false);
	ASSERT_LT(0, key) TH_LOG("add_key: %s", strerror((int)-key));

	/* not sealed: nothing runs at CPL 0 under lockdown */
	EXPECT_EQ(-EPERM, exec_errno("attack-payload.signed"));

	/* development mode on (the VM's policy): sealing is refused */
	if (kml_read_number(GATE_SYSFS "allow_unsigned") == 1)
		EXPECT_EQ(-EBUSY, kml_sysfs_write("sealed", "1"));
	ASSERT_EQ(0, kml_sysfs_write("allow_unsigned", "0"));
	ASSERT_EQ(0, kml_sysfs_write("sealed", "1"));
	EXPECT_EQ(1, kml_read_number(GATE_SYSFS "sealed"));
	EXPECT_EQ(-EPERM, kml_sysfs_write("sealed", "0"));

	/* the gate's own verdicts now */
	EXPECT_EQ(-EACCES, exec_errno(ATTACK_RING0));		/* unsigned */
	EXPECT_EQ(-EACCES, exec_errno("attack-payload.signed"));	/* assurance-too-low */
	EXPECT_EQ(-ENOKEY, exec_errno("attack-payload.devkey"));	/* .kml: unknown-key */

	/* and what it approves runs at CPL 0 */
	execs = kml_read_number(GATE_SYSFS "ring0_execs");
	ASSERT_EQ(0, payload_run(&c, "wordcount.verified", (const char *[]){ NULL }));
	EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
	EXPECT_TRUE(child_said(&c, "0 0 0")) TH_LOG("%s", c.output);
	EXPECT_EQ(execs + 1, kml_read_number(GATE_SYSFS "ring0_execs"));

	/* stricter only */
	EXPECT_EQ(-EPERM, kml_sysfs_write("allow_unsigned", "1"));
	EXPECT_EQ(-EPERM, kml_sysfs_write("min_assurance", "trusted"));
	EXPECT_EQ(-EPERM, kml_sysfs_write("exec_group", "65534"));
	EXPECT_EQ(0, kml_sysfs_write("allow_bypass", "0"));
	EXPECT_EQ(-EPERM, kml_sysfs_write("allow_bypass", "1"));
	EXPECT_EQ(0, kml_sysfs_write("min_generation", "1"));

	/* and kml.ko stays */
	EXPECT_EQ(-EAGAIN, kml_unload());
	EXPECT_TRUE(kml_listed());
}

TEST_HARNESS_MAIN
