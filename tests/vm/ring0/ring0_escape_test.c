// SPDX-License-Identifier: GPL-2.0
/*
 * The only way into CPL 0 is exec of an enabled-marker program by root.
 * A ring-3 process cannot get there by forging the code selector that
 * sigreturn loads, and a tracer cannot put a kernel selector into a ring-3
 * tracee's registers. These hold on any kernel; kml must keep them. Nor
 * can an unprivileged process attach to a ring-0 task (ptrace, writing
 * /proc/PID/mem), even one that runs as that user and is dumpable: that
 * would run its code at CPL 0 (kml/patches/0011).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ring0.h"

/* x86-64 Linux GDT selectors. */
#define KERNEL32_CS 0x08ULL
#define KERNEL_CS 0x10ULL
#define USER_CS 0x33ULL

FIXTURE(escape) {
	struct ring0_env env;
	long long tainted;
};

FIXTURE_VARIANT(escape) {
	const char *payload;
};

/* A marker the kernel reads but must not honour, and no marker at all. */
FIXTURE_VARIANT_ADD(escape, disabled_marker) { .payload = PAYLOAD_RING3 };
FIXTURE_VARIANT_ADD(escape, unmarked) { .payload = PAYLOAD_UNMARKED };

FIXTURE_SETUP(escape)
{
	ring0_env_setup(&self->env);
	self->tainted = kernel_tainted();
}

FIXTURE_TEARDOWN(escape)
{
	int ret = ring0_env_teardown(&self->env);

	if (ret)
		TH_LOG("unloading kml.ko: %s", strerror(-ret));
	EXPECT_EQ(0, ret);
}

/*
 * Runs "forge-cs SELECTOR" at ring 3: the process must die of SIGSEGV or
 * come back at CPL 3; never at CPL 0.
 */
static void expect_no_ring0_via_sigreturn(struct __test_metadata *_metadata,
					  const char *payload, unsigned long long selector)
{
	char sel[16];
	struct child c;

	snprintf(sel, sizeof(sel), "%#llx", selector);
	ASSERT_EQ(0, payload_run(&c, payload, (const char *[]){ "forge-cs", sel, NULL }));
	EXPECT_FALSE(child_said(&c, "after sigreturn cpl=0")) TH_LOG("reached CPL 0!");
	if (child_exit(&c) == 0) {
		EXPECT_STREQ("cpl=3\nafter sigreturn cpl=3\n", c.output);
	} else {
		EXPECT_EQ(128 + SIGSEGV, child_exit(&c)) TH_LOG("output: %s", c.output);
	}
}

TEST_F(escape, sigreturn_cannot_load_the_kernel_code_selector)
{
	REQUIRE_PAYLOAD(variant->payload);
	expect_no_ring0_via_sigreturn(_metadata, variant->payload, KERNEL_CS);
	EXPECT_EQ(self->tainted, kernel_tainted());
}

TEST_F(escape, sigreturn_cannot_load_the_kernel32_code_selector)
{
	REQUIRE_PAYLOAD(variant->payload);
	expect_no_ring0_via_sigreturn(_metadata, variant->payload, KERNEL32_CS);
	EXPECT_EQ(self->tainted, kernel_tainted());
}

TEST_F(escape, sigreturn_with_the_user_code_selector_resumes_at_cpl3)
{
	struct child c;

	/* The forging handler itself works: a legal selector comes back. */
	REQUIRE_PAYLOAD(variant->payload);
	ASSERT_EQ(0, payload_run(&c, variant->payload, (const char *[]){ "forge-cs", "0x33", NULL }));
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ("cpl=3\nafter sigreturn cpl=3\n", c.output);
}

/* Starts @payload "sleep", seizes it and stops it: 0, or -errno. */
static int spawn_stopped(struct child *c, const char *payload)
{
	struct spawn_opts opts = SPAWN_DEFAULTS;
	int status, ret;

	opts.keep_stdin = true;
	ret = child_spawn(c, payload, (const char *[]){ "sleep", NULL }, &opts);
	if (!ret)
		ret = child_wait_line(c, "ready", PAYLOAD_TIMEOUT_MS);
	if (ret)
		return ret;
	if (ptrace(PTRACE_SEIZE, c->pid, 0, 0) || ptrace(PTRACE_INTERRUPT, c->pid, 0, 0))
		return -errno;
	if (waitpid(c->pid, &status, 0) != c->pid)
		return -errno;
	return WIFSTOPPED(status) ? 0 : -ECHILD;
}

TEST_F(escape, ptrace_cannot_put_a_kernel_code_selector_in_a_ring3_tracee)
{
	struct user_regs_struct regs;
	unsigned long long user_cs;
	struct child c;
	int ret;

	REQUIRE_PAYLOAD(variant->payload);
	ret = spawn_stopped(&c, variant->payload);
	ASSERT_EQ(0, ret) TH_LOG("seize: %s", strerror(-ret));
	ASSERT_EQ(0, ptrace(PTRACE_GETREGS, c.pid, 0, &regs));
	EXPECT_EQ(USER_CS, regs.cs);
	user_cs = regs.cs;

	regs.cs = KERNEL_CS;
	errno = 0;
	EXPECT_EQ(-1, ptrace(PTRACE_SETREGS, c.pid, 0, &regs));
	EXPECT_EQ(EIO, errno);
	errno = 0;
	EXPECT_EQ(-1, ptrace(PTRACE_POKEUSER, c.pid, offsetof(struct user_regs_struct, cs),
			     (void *)(unsigned long)KERNEL_CS));
	EXPECT_EQ(EIO, errno);
	ASSERT_EQ(0, ptrace(PTRACE_GETREGS, c.pid, 0, &regs));
	EXPECT_EQ(user_cs, regs.cs);

	ASSERT_EQ(0, ptrace(PTRACE_DETACH, c.pid, 0, 0));
	ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ("cpl=3\nready\nstdin closed\n", c.output);
}

/* The entry a ring-0 program was given: "entry=0x..." in its output. */
static unsigned long entry_of(struct child *c)
{
	const char *s = strstr(c->output, "entry=0x");

	return s ? strtoul(s + strlen("entry="), NULL, 16) : 0;
}

/*
 * A ring-3 process that jumps to the kernel's entries for ring-0 tasks
 * (the direct one, and the bypass one a bypass-marked program gets) dies
 * of SIGSEGV at that address instead of entering the kernel.
 */
TEST_F(escape, a_ring3_process_cannot_enter_the_direct_or_bypass_entry)
{
	const char *sources[] = { PAYLOAD_RING0, "/kml/tests/entry-probe.bypass" };
	struct ring0_env *env = &self->env;
	size_t i;

	REQUIRE_PAYLOAD(variant->payload);
	for (i = 0; i < ARRAY_SIZE(sources); i++) {
		char addr[32];
		struct child c;

		REQUIRE_RING0(env);
		ASSERT_EQ(0, payload_run(&c, sources[i], (const char *[]){ "entry", NULL }));
		ASSERT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
		ASSERT_NE(0UL, entry_of(&c)) TH_LOG("%s: %s", sources[i], c.output);
		snprintf(addr, sizeof(addr), "0x%lx", entry_of(&c));

		ASSERT_EQ(0, payload_run(&c, variant->payload, (const char *[]){ "jump", addr, NULL }));
		EXPECT_EQ(128 + SIGSEGV, child_exit(&c)) TH_LOG("jump %s: %s", addr, c.output);
		EXPECT_TRUE(child_said(&c, "cpl=3 jumping")) TH_LOG("%s", c.output);
		EXPECT_EQ(NULL, strstr(c.output, "came back")) TH_LOG("%s", c.output);
	}
}

FIXTURE(attach) {
	struct ring0_env env;
};

FIXTURE_VARIANT(attach) {
	const char *payload;
	bool ring0;
};

/* The same program at CPL 0, and at CPL 3 (marker disabled) as the control. */
FIXTURE_VARIANT_ADD(attach, ring0) { .payload = PAYLOAD_RING0, .ring0 = true };
FIXTURE_VARIANT_ADD(attach, ring3) { .payload = PAYLOAD_RING3, .ring0 = false };

FIXTURE_SETUP(attach)
{
	ring0_env_setup(&self->env);
}

FIXTURE_TEARDOWN(attach)
{
	EXPECT_EQ(0, ring0_env_teardown(&self->env));
}

#define NOBODY 65534

/*
 * In a child that becomes nobody: attach to @pid with ptrace and open its
 * memory for writing. Exit status: bit 0 set if ptrace worked, bit 1 if
 * the open did; bits 2-7 the ptrace errno when it failed (0 otherwise).
 */
static int attach_as_nobody(pid_t pid)
{
	pid_t child = fork();
	int status;

	if (child < 0)
		return -1;
	if (child == 0) {
		char mem[64];
		int result = 0, fd;

		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(255);
		if (ptrace(PTRACE_SEIZE, pid, 0, 0) == 0) {
			result |= 1;
			ptrace(PTRACE_DETACH, pid, 0, 0);
		} else {
			result |= (errno & 0x3f) << 2;
		}
		snprintf(mem, sizeof(mem), "/proc/%d/mem", (int)pid);
		fd = open(mem, O_RDWR);
		if (fd >= 0) {
			result |= 2;
			close(fd);
		}
		_exit(result);
	}
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST_F(attach, nobody_may_attach_only_to_a_ring3_process_of_nobody)
{
	struct spawn_opts opts = SPAWN_DEFAULTS;
	char said[32];
	struct child c;
	int result;

	if (variant->ring0)
		REQUIRE_RING0(&self->env);
	REQUIRE_PAYLOAD(variant->payload);
	opts.keep_stdin = true;
	ASSERT_EQ(0, child_spawn(&c, variant->payload, (const char *[]){ "drop-to-nobody", NULL },
				 &opts));
	ASSERT_EQ(0, child_wait_line(&c, "ready", PAYLOAD_TIMEOUT_MS)) TH_LOG("%s", c.output);
	snprintf(said, sizeof(said), "cpl=%d uid=%d", variant->ring0 ? 0 : 3, NOBODY);
	EXPECT_TRUE(child_said(&c, said)) TH_LOG("%s", c.output);

	result = attach_as_nobody(c.pid);
	ASSERT_LE(0, result);
	ASSERT_NE(255, result) TH_LOG("could not become nobody");
	if (variant->ring0) {
		EXPECT_EQ(0, result & 1) TH_LOG("ptrace attached to a ring-0 task");
		EXPECT_EQ(EPERM, result >> 2);
		EXPECT_EQ(0, result & 2) TH_LOG("/proc/PID/mem opened for writing");
	} else {
		EXPECT_EQ(3, result) TH_LOG("control: result %d", result);
	}
	ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));
	EXPECT_EQ(0, child_exit(&c));
}

TEST_F(attach, root_may_still_attach_to_a_ring0_task)
{
	struct child c;
	int ret;

	if (variant->ring0)
		REQUIRE_RING0(&self->env);
	REQUIRE_PAYLOAD(variant->payload);
	ret = spawn_stopped(&c, variant->payload);
	ASSERT_EQ(0, ret) TH_LOG("seize: %s", strerror(-ret));
	ASSERT_EQ(0, ptrace(PTRACE_DETACH, c.pid, 0, 0));
	ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));
	EXPECT_EQ(0, child_exit(&c));
}

TEST_HARNESS_MAIN
