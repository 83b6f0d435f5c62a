// SPDX-License-Identifier: GPL-2.0
/*
 * Finding 6: return addresses and stack pointers a ring-0 program hands
 * the kernel. A ring-0 task returns from the kernel with an iretq to
 * CPL 0, which loads any canonical address and faults in the kernel on a
 * non-canonical one; and its events are taken on its own %rsp. The old
 * kernel oopsed on a bad return address in %rcx, on a kernel-half %rsp,
 * and on a forged rt_sigreturn frame. Now each of these must end in
 * SIGSEGV (or SIGBUS) for the program, or in the program going on at
 * CPL 0 at a user address, never in a kernel report.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "attack.h"

ATTACK_FIXTURE(bad_return);

FIXTURE_VARIANT(bad_return) {
	const char *address;
};

FIXTURE_VARIANT_ADD(bad_return, noncanonical_high) { .address = "0x8000000000000000" };
FIXTURE_VARIANT_ADD(bad_return, above_the_user_half) { .address = "0x0000800000000000" };
FIXTURE_VARIANT_ADD(bad_return, kernel_half) { .address = "0xffff800000001000" };
FIXTURE_VARIANT_ADD(bad_return, vsyscall_page) { .address = "0xffffffffff600000" };

/*
 * getpid through the direct entry with that return address in %rcx: the
 * process dies of SIGSEGV, or its SIGSEGV handler (on an alternate stack)
 * exits 42.
 */
TEST_F(bad_return, direct_entry_call_returning_there_is_sigsegv)
{
	struct child c;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	ASSERT_EQ(0, payload_run(&c, ATTACK_RING0,
				 (const char *[]){ "bad-return", variant->address, NULL }));
	EXPECT_TRUE(died_of(&c, SIGSEGV) || child_exit(&c) == 42)
		TH_LOG("status %d: %s", child_exit(&c), c.output);
	EXPECT_FALSE(child_said(&c, "came back")) TH_LOG("%s", c.output);
	EXPECT_TRUE(child_said(&c, "cpl=0")) TH_LOG("%s", c.output);
}

ATTACK_FIXTURE(bad_stack);

/*
 * %rsp in the kernel half (0xffff888000000000) while timer interrupts
 * arrive, then a fault: the kernel must not take the events on that
 * stack; the process dies of SIGSEGV or SIGBUS (the payload's alarm(30)
 * would make a hang a death by SIGALRM).
 */
TEST_F_TIMEOUT(bad_stack, kernel_half_rsp_then_a_fault_is_sigsegv_or_sigbus, 60)
{
	struct child c;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	ASSERT_EQ(0, payload_run(&c, ATTACK_RING0, (const char *[]){ "bad-stack", NULL }));
	EXPECT_TRUE(died_of(&c, SIGSEGV) || died_of(&c, SIGBUS))
		TH_LOG("status %d: %s", child_exit(&c), c.output);
	EXPECT_STREQ("cpl=0\nrsp=0xffff888000000000\n", c.output);
}

ATTACK_FIXTURE(sigreturn);

FIXTURE_VARIANT(sigreturn) {
	const char *via;	/* how the payload enters rt_sigreturn */
};

FIXTURE_VARIANT_ADD(sigreturn, syscall_instruction) { .via = "syscall" };
FIXTURE_VARIANT_ADD(sigreturn, direct_entry) { .via = "entry" };

enum outcome {
	SIGSEGV_ONLY,		/* there is no user address to go on at */
	SIGSEGV_OR_CPL0,	/* or it goes on at its landing pad, at CPL 0 */
};

/*
 * rt_sigreturn of a frame whose @field is @value, everything else the
 * program's own (landing pad, a stack of its own, its flags, CS 0x10,
 * SS 0x18).
 */
static void expect_forged_frame(struct __test_metadata *_metadata, const char *via,
				const char *field, unsigned long value, enum outcome outcome)
{
	char arg[32];
	struct child c;

	snprintf(arg, sizeof(arg), "0x%lx", value);
	ASSERT_EQ(0, payload_run(&c, ATTACK_RING0,
				 (const char *[]){ "sigreturn", via, field, arg, NULL }));
	EXPECT_TRUE(child_said(&c, "cpl=0")) TH_LOG("%s", c.output);
	if (outcome == SIGSEGV_OR_CPL0 && child_exit(&c) == 0) {
		EXPECT_TRUE(child_said(&c, "after sigreturn cpl=0"))
			TH_LOG("%s=%s: %s", field, arg, c.output);
		return;
	}
	EXPECT_TRUE(died_of(&c, SIGSEGV)) TH_LOG("%s=%s: status %d: %s", field, arg,
						 child_exit(&c), c.output);
}

TEST_F(sigreturn, to_a_noncanonical_rip_is_sigsegv)
{
	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	expect_forged_frame(_metadata, variant->via, "rip", 0x8000000000000000UL, SIGSEGV_ONLY);
}

TEST_F(sigreturn, to_a_kernel_half_rip_is_sigsegv)
{
	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	expect_forged_frame(_metadata, variant->via, "rip", 0xffff800000001000UL, SIGSEGV_ONLY);
}

/* The landing pad moves to a stack of its own first thing, so it can report. */
TEST_F(sigreturn, with_a_noncanonical_rsp_is_sigsegv_or_goes_on_at_cpl0)
{
	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	expect_forged_frame(_metadata, variant->via, "rsp", 0x8000000000000000UL, SIGSEGV_OR_CPL0);
}

TEST_F(sigreturn, with_a_kernel_half_rsp_is_sigsegv_or_goes_on_at_cpl0)
{
	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	expect_forged_frame(_metadata, variant->via, "rsp", 0xffff888000000000UL, SIGSEGV_OR_CPL0);
}

/* No code selector, null, kernel, user or garbage, takes it out of CPL 0. */
TEST_F_TIMEOUT(sigreturn, with_any_code_selector_is_sigsegv_or_goes_on_at_cpl0, 90)
{
	static const unsigned long selectors[] = {
		0x0, KERNEL32_CS, KERNEL_CS, KERNEL_DS, USER32_CS, USER_DS, USER_CS, 0xffff,
	};
	size_t i;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	for (i = 0; i < ARRAY_SIZE(selectors); i++)
		expect_forged_frame(_metadata, variant->via, "cs", selectors[i], SIGSEGV_OR_CPL0);
}

TEST_HARNESS_MAIN
