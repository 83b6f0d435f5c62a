// SPDX-License-Identifier: GPL-2.0
/*
 * Finding 2: RFLAGS through the direct and the bypass entry. A `syscall`
 * instruction masks the flags the kernel must not run with (DF, NT, AC,
 * TF, IOPL through FMASK and the entry code); a jump into AT_KML_ENTRY
 * masks nothing, and a ring-0 program can set flags no ring-3 program
 * can (IOPL, AC). The old entry ran the system call with the caller's
 * flags: with DF set, copies to the caller ran backwards over the bytes
 * below its buffer; NT made the kernel's own iretq fault; TF single-stepped
 * the kernel; and flags a task blocked with carried over, through the
 * context switch, into the next task on the CPU.
 *
 * After the fix the kernel runs every call with its own flags and gives
 * the caller its flags back: the entry's answers equal the syscall
 * instruction's, and only the bypass entry may change the status flags.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "attack.h"

ATTACK_FIXTURE(flags);

FIXTURE_VARIANT(flags) {
	const char *payload;
	const char *kind;	/* the payload's name for its entry */
};

FIXTURE_VARIANT_ADD(flags, direct) { .payload = ATTACK_RING0, .kind = "direct" };
FIXTURE_VARIANT_ADD(flags, bypass) { .payload = ATTACK_BYPASS, .kind = "bypass" };

/*
 * Runs "flags FLAG KIND": getppid and a 100-byte read() between guard
 * bytes through the entry with FLAG in effect. The payload checks the
 * answers, the buffer and the flags after the return, and prints one
 * "flags FLAG: ok" line when all held.
 */
static void expect_flag_is_harmless(struct __test_metadata *_metadata, struct attack_env *env,
				    const char *payload, const char *flag, const char *kind)
{
	char ok[32];
	struct child c;

	REQUIRE_ATTACK_FORM(env, payload, 0);
	ASSERT_EQ(0, payload_run(&c, payload, (const char *[]){ "flags", flag, kind, NULL }));
	if (child_exit(&c) == 4)
		SKIP(return, "no SMAP on this CPU");
	snprintf(ok, sizeof(ok), "flags %s: ok", flag);
	EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
	EXPECT_TRUE(child_said(&c, "cpl=0")) TH_LOG("%s", c.output);
	EXPECT_TRUE(child_said(&c, ok)) TH_LOG("%s", c.output);
}

TEST_F(flags, df_set_read_fills_exactly_the_buffer_and_df_comes_back)
{
	expect_flag_is_harmless(_metadata, &self->env, variant->payload, "df", variant->kind);
}

TEST_F(flags, nt_set_the_call_returns_and_nt_comes_back)
{
	expect_flag_is_harmless(_metadata, &self->env, variant->payload, "nt", variant->kind);
}

TEST_F(flags, iopl3_set_the_call_returns_and_iopl_comes_back)
{
	expect_flag_is_harmless(_metadata, &self->env, variant->payload, "iopl", variant->kind);
}

TEST_F(flags, ac_cleared_right_before_the_jump_the_call_returns_the_right_value)
{
	expect_flag_is_harmless(_metadata, &self->env, variant->payload, "ac", variant->kind);
}

TEST_F(flags, rf_set_by_an_iretq_into_the_entry_the_call_returns_the_right_value)
{
	expect_flag_is_harmless(_metadata, &self->env, variant->payload, "rf", variant->kind);
}

/*
 * TF: traps in the program reach it as SIGTRAP (at least one), the kernel
 * does not single-step itself (no WARN: the fixture's taint check), the
 * answers are right, and with TF clear again the program goes on.
 */
TEST_F(flags, tf_set_traps_reach_the_program_as_sigtrap_and_it_goes_on)
{
	expect_flag_is_harmless(_metadata, &self->env, variant->payload, "tf", variant->kind);
}

ATTACK_FIXTURE(isolation);

/* Rounds of blocking calls with DF=1 and NT=1 (each blocks about 0.5 ms). */
#define BLOCKING_ROUNDS "200"

/*
 * A ring-0 task blocks in system calls made with DF=1 and NT=1 while a
 * ring-3 task on the same CPU moves data through pipes (blocking too, so
 * the two alternate inside the kernel). The ring-3 task's data must come
 * through byte for byte and both must finish normally: the flags of one
 * task never reach another through the context switch. The ring-3 task
 * runs until the ring-0 one has finished, however long that takes.
 */
TEST_F_TIMEOUT(isolation, df_and_nt_of_a_blocked_ring0_task_do_not_reach_a_ring3_task, 60)
{
	struct child ring3, ring0;
	int cpu = some_cpu();

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING3, 3);
	ASSERT_EQ(0, spawn_ready(&ring3, ATTACK_RING3, (const char *[]){ "pingpong", NULL }, cpu))
		TH_LOG("%s", ring3.output);
	ASSERT_EQ(0, child_spawn(&ring0, ATTACK_RING0,
				 (const char *[]){ "flags-block", BLOCKING_ROUNDS, NULL },
				 &(struct spawn_opts){ .cpu = cpu }));
	ASSERT_EQ(0, child_finish(&ring0, PAYLOAD_TIMEOUT_MS));
	ASSERT_EQ(0, child_finish(&ring3, PAYLOAD_TIMEOUT_MS));

	EXPECT_EQ(0, child_exit(&ring0)) TH_LOG("%s", ring0.output);
	EXPECT_STREQ("cpl=0\nflags-block: ok\n", ring0.output);
	EXPECT_EQ(0, child_exit(&ring3)) TH_LOG("%s", ring3.output);
	EXPECT_STREQ("cpl=3\nready\npingpong: ok\n", ring3.output);
}

/*
 * SMAP at CPL 0: a program that clears AC itself and then touches its own
 * data takes a fault it cannot fix; it must get SIGSEGV, not fault
 * forever (the payload's alarm(5) makes a hang a death by SIGALRM).
 */
TEST_F(isolation, clac_then_a_load_of_own_data_is_sigsegv_not_a_hang)
{
	struct child c;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	ASSERT_EQ(0, payload_run(&c, ATTACK_RING0, (const char *[]){ "clac-touch", NULL }));
	if (child_exit(&c) == 4)
		SKIP(return, "no SMAP on this CPU");
	EXPECT_FALSE(died_of(&c, SIGALRM)) TH_LOG("it hung: faulted for 5 s");
	EXPECT_TRUE(died_of(&c, SIGSEGV)) TH_LOG("status %d: %s", child_exit(&c), c.output);
	EXPECT_STREQ("cpl=0\nclac, then a load\n", c.output);
}

TEST_HARNESS_MAIN
