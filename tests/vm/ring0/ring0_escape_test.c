// SPDX-License-Identifier: GPL-2.0
/*
 * The only way into CPL 0 is exec of an enabled-marker program by root.
 * A ring-3 process cannot get there by forging the code selector that
 * sigreturn loads, and a tracer cannot put a kernel selector into a ring-3
 * tracee's registers. These hold on any kernel; kml must keep them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

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

TEST_F(escape, ptrace_cannot_put_a_kernel_code_selector_in_a_ring3_tracee)
{
	struct spawn_opts opts = SPAWN_DEFAULTS;
	struct user_regs_struct regs;
	unsigned long long user_cs;
	int status;
	struct child c;

	REQUIRE_PAYLOAD(variant->payload);
	opts.keep_stdin = true;
	ASSERT_EQ(0, child_spawn(&c, variant->payload, (const char *[]){ "sleep", NULL }, &opts));
	ASSERT_EQ(0, child_wait_line(&c, "ready", PAYLOAD_TIMEOUT_MS));
	ASSERT_EQ(0, ptrace(PTRACE_SEIZE, c.pid, 0, 0)) TH_LOG("seize: %s", strerror(errno));
	ASSERT_EQ(0, ptrace(PTRACE_INTERRUPT, c.pid, 0, 0));
	ASSERT_EQ(c.pid, waitpid(c.pid, &status, 0));
	ASSERT_TRUE(WIFSTOPPED(status));
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

TEST_HARNESS_MAIN
