// SPDX-License-Identifier: GPL-2.0
/*
 * Finding 1: what a ring-0 task execs is an ordinary program unless it is
 * marked. kml decides at the exec of a 64-bit ELF program; a 32-bit one
 * (IA-32 emulation) went through no such decision, so it kept the ring-0
 * task's state: its 64-bit `syscall` came back with __KERNEL_CS.
 *
 * attack-compat32 prints %cs at its start, after int $0x80, after an
 * ljmp into 64-bit code and after a 64-bit `syscall` there; every one
 * must have RPL 3 (0x23 in 32-bit code, 0x33 in 64-bit code).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include "attack.h"

/* What attack-compat32 prints as an ordinary 32-bit process. */
#define COMPAT32_TRANSCRIPT						\
	"start cs=0x0023\n"						\
	"after int80 cs=0x0023\n"					\
	"long mode cs=0x0033\n"						\
	"after syscall cs=0x0033\n"					\
	"getpid: same\n"

ATTACK_FIXTURE(compat);

/* The program itself, run from ring 3: the reference for the next test. */
TEST_F(compat, compat32_program_sees_user_selectors_when_run_from_ring3)
{
	struct child c;
	int ret;

	REQUIRE_PAYLOAD(ATTACK_COMPAT32);
	ret = payload_run(&c, ATTACK_COMPAT32, NULL);
	if (ret == -ENOEXEC) {
		TH_LOG("no IA-32 emulation in this kernel");
		ASSERT_FALSE(ring0_required());
		SKIP(return, "no IA-32 emulation");
	}
	ASSERT_EQ(0, ret) TH_LOG("%s", strerror(-ret));
	EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
	EXPECT_STREQ(COMPAT32_TRANSCRIPT, c.output);
}

TEST_F(compat, ring0_task_execs_a_compat32_program_with_user_selectors_only)
{
	struct child c;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	REQUIRE_PAYLOAD(ATTACK_COMPAT32);
	ASSERT_EQ(0, payload_run(&c, ATTACK_RING0, (const char *[]){ "exec", ATTACK_COMPAT32, NULL }));
	EXPECT_FALSE(child_said(&c, "exec errno=8")) TH_LOG("no IA-32 emulation in this kernel");
	EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
	EXPECT_STREQ("cpl=0\n" COMPAT32_TRANSCRIPT, c.output);
}

TEST_F(compat, ring0_task_execs_an_unmarked_64bit_program_at_cpl3)
{
	struct child c;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	REQUIRE_PAYLOAD(ATTACK_UNMARKED);
	ASSERT_EQ(0, payload_run(&c, ATTACK_RING0,
				 (const char *[]){ "exec", ATTACK_UNMARKED, "cpl", NULL }));
	EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
	EXPECT_STREQ("cpl=0\ncpl=3\n", c.output);
}

TEST_HARNESS_MAIN
