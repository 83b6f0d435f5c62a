// SPDX-License-Identifier: GPL-2.0
/*
 * Finding 3: events at CPL 3 in a task that has the kml IDT. A ring-0
 * program can drop itself to CPL 3 with an iretq (or a tracer could ask
 * for __USER_CS); the CPU then takes timer interrupts, page faults and
 * `syscall` from CPL 3 while the kml IDT is loaded and the task runs on
 * the kernel page tables. The old kernel went down with it. The machine
 * must survive, and so must the program: after its `syscall` it is
 * either still at CPL 3 (0x33) or back at CPL 0 (0x10: its mm is a
 * ring-0 program's); either is accepted.
 *
 * A tracer must not be able to put __USER_CS into a ring-0 tracee: the
 * write is ignored or refused, and the tracee goes on at CPL 0 or dies
 * of a signal.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "kselftest_harness.h"
#include "attack.h"

ATTACK_FIXTURE(cpl3);

TEST_F_TIMEOUT(cpl3, iretq_to_cpl3_survives_interrupts_a_page_fault_and_syscall, 60)
{
	unsigned long cs3 = 0, cs = 0;
	struct child c;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	ASSERT_EQ(0, payload_run(&c, ATTACK_RING0, (const char *[]){ "cpl3-excursion", NULL }));
	EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
	EXPECT_TRUE(child_said(&c, "cpl=0")) TH_LOG("%s", c.output);
	EXPECT_TRUE(output_value(&c, "at cpl3 cs", &cs3)) TH_LOG("%s", c.output);
	EXPECT_EQ(USER_CS, cs3);
	EXPECT_TRUE(output_value(&c, "after syscall cs", &cs)) TH_LOG("%s", c.output);
	EXPECT_TRUE(cs == USER_CS || cs == KERNEL_CS) TH_LOG("%%cs after syscall: 0x%lx", cs);
	EXPECT_TRUE(child_said(&c, "getpid: same")) TH_LOG("%s", c.output);
	EXPECT_TRUE(child_said(&c, "page: ok")) TH_LOG("%s", c.output);
	EXPECT_TRUE(child_said(&c, "survived")) TH_LOG("%s", c.output);
}

/*
 * Writes __USER_CS into a stopped ring-0 tracee with @how (PTRACE_SETREGS
 * of all its registers, or PTRACE_POKEUSER of cs alone), then lets it go
 * on: it reports its ring once stdin closes.
 */
static void expect_user_cs_has_no_effect(struct __test_metadata *_metadata, bool setregs)
{
	struct user_regs_struct regs;
	struct child c;
	long ret;

	ASSERT_EQ(0, spawn_ready(&c, ATTACK_RING0, (const char *[]){ "wait", NULL }, -1))
		TH_LOG("%s", c.output);
	ret = seize_and_stop(c.pid, 0);
	ASSERT_EQ(0, ret) TH_LOG("seize: %s", strerror(-ret));
	ASSERT_EQ(0, ptrace(PTRACE_GETREGS, c.pid, 0, &regs));
	regs.cs = USER_CS;
	errno = 0;
	if (setregs)
		ret = ptrace(PTRACE_SETREGS, c.pid, 0, &regs);
	else
		ret = ptrace(PTRACE_POKEUSER, c.pid, offsetof(struct user_regs_struct, cs),
			     (void *)USER_CS);
	TH_LOG("writing cs=0x33: %s", ret ? strerror(errno) : "accepted");
	if (!ret && !ptrace(PTRACE_GETREGS, c.pid, 0, &regs))
		TH_LOG("cs reads 0x%llx now", regs.cs);

	ASSERT_EQ(0, ptrace(PTRACE_DETACH, c.pid, 0, 0));
	ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));
	EXPECT_FALSE(child_said(&c, "after cpl=3 data=0x1111111111111111 text=0xc3"))
		TH_LOG("the tracer moved it to CPL 3");
	if (child_exit(&c) < 128) {
		EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
		EXPECT_TRUE(child_said(&c, "after cpl=0 data=0x1111111111111111 text=0xc3"))
			TH_LOG("%s", c.output);
	} else {
		TH_LOG("the tracee died of signal %d", child_exit(&c) - 128);
	}
}

TEST_F(cpl3, ptrace_setregs_of_user_cs_into_a_ring0_tracee_is_ignored_or_refused)
{
	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	expect_user_cs_has_no_effect(_metadata, true);
}

TEST_F(cpl3, ptrace_pokeuser_of_user_cs_into_a_ring0_tracee_is_ignored_or_refused)
{
	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	expect_user_cs_has_no_effect(_metadata, false);
}

/*
 * CR4.TSD (PR_SET_TSC) makes rdtsc fault at CPL 3 only: a ring-0 task
 * asking for it is refused (EINVAL) instead of being promised a SIGSEGV
 * that never comes. At ring 3 the same call succeeds.
 */
TEST_F(cpl3, pr_set_tsc_sigsegv_is_refused_at_cpl0)
{
	struct child c;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	ASSERT_EQ(0, payload_run(&c, ATTACK_RING0, (const char *[]){ "tsc", NULL }));
	EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
	EXPECT_TRUE(child_said(&c, "set_tsc errno=22")) TH_LOG("%s", c.output);
	EXPECT_TRUE(child_said(&c, "rdtsc=ran")) TH_LOG("%s", c.output);
}

TEST_F(cpl3, pr_set_tsc_sigsegv_is_allowed_at_cpl3)
{
	struct child c;

	ASSERT_EQ(0, payload_run(&c, ATTACK_RING3, (const char *[]){ "tsc", NULL }));
	EXPECT_EQ(128 + SIGSEGV, child_exit(&c)) TH_LOG("%s", c.output);
	EXPECT_TRUE(child_said(&c, "set_tsc errno=0")) TH_LOG("%s", c.output);
}

TEST_HARNESS_MAIN
