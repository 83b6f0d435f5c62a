// SPDX-License-Identifier: GPL-2.0
/*
 * A fault in a ring-0 process is the process's problem, not the kernel's:
 * it becomes the same signal, with the same si_code and si_addr, that a
 * ring-3 process gets; a handler (on the alternate stack) sees the faulting
 * context and can resume it through sigreturn; without a handler the
 * process dies of the signal. The kernel stays untainted throughout.
 *
 * Expected handler reports name addresses by what they are: "0", "insn"
 * (the faulting instruction), "resume" (the one after it), "target" (the
 * read-only page written to), "stack-limit" (next to the deepest frame).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "ring0.h"

FIXTURE(faults) {
	struct ring0_env env;
	long long tainted;
};

FIXTURE_VARIANT(faults) {
	const char *payload;
	int cpl;
};

FIXTURE_VARIANT_ADD(faults, ring0) { .payload = PAYLOAD_RING0, .cpl = 0 };
FIXTURE_VARIANT_ADD(faults, ring3) { .payload = PAYLOAD_RING3, .cpl = 3 };

FIXTURE_SETUP(faults)
{
	ring0_env_setup(&self->env);
	self->tainted = kernel_tainted();
}

FIXTURE_TEARDOWN(faults)
{
	int ret = ring0_env_teardown(&self->env);

	if (ret)
		TH_LOG("unloading kml.ko: %s", strerror(-ret));
	EXPECT_EQ(0, ret);
}

/* The kernel took no oops, warning or other taint while the payload ran. */
#define EXPECT_KERNEL_HEALTHY() \
	EXPECT_EQ(self->tainted, kernel_tainted()) TH_LOG("the kernel got tainted")

/*
 * Runs "fault KIND handled" and expects the handler's report (one line,
 * then the handler's ring and the saved RIP), then tail.
 */
static void expect_handled(struct __test_metadata *_metadata,
			   const FIXTURE_VARIANT(faults) *variant,
			   const char *kind, const char *report, const char *rip,
			   const char *tail)
{
	char expected[512];
	struct child c;

	ASSERT_EQ(0, payload_run(&c, variant->payload,
				 (const char *[]){ "fault", kind, "handled", NULL }));
	snprintf(expected, sizeof(expected), "cpl=%d\n%s\nhandler cpl=%d\nsaved rip=%s\n%s",
		 variant->cpl, report, variant->cpl, rip, tail);
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ(expected, c.output);
}

/* Runs "fault KIND unhandled" and expects death by sig right after "cpl=N". */
static void expect_killed(struct __test_metadata *_metadata,
			  const FIXTURE_VARIANT(faults) *variant, const char *kind, int sig)
{
	char expected[32];
	struct child c;

	ASSERT_EQ(0, payload_run(&c, variant->payload,
				 (const char *[]){ "fault", kind, "unhandled", NULL }));
	snprintf(expected, sizeof(expected), "cpl=%d\n", variant->cpl);
	EXPECT_EQ(128 + sig, child_exit(&c));
	EXPECT_STREQ(expected, c.output);
}

TEST_F(faults, null_dereference_is_sigsegv_maperr_at_address_0)
{
	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	expect_handled(_metadata, variant, "null",
		       "signal=SIGSEGV code=SEGV_MAPERR addr=0", "insn", "resumed\n");
	EXPECT_KERNEL_HEALTHY();
}

TEST_F(faults, null_dereference_unhandled_kills_with_sigsegv)
{
	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	expect_killed(_metadata, variant, "null", SIGSEGV);
	EXPECT_KERNEL_HEALTHY();
}

TEST_F(faults, write_to_read_only_page_is_sigsegv_accerr_at_the_page)
{
	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	expect_handled(_metadata, variant, "readonly",
		       "signal=SIGSEGV code=SEGV_ACCERR addr=target", "insn", "resumed\n");
	EXPECT_KERNEL_HEALTHY();
}

TEST_F(faults, write_to_read_only_page_unhandled_kills_with_sigsegv)
{
	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	expect_killed(_metadata, variant, "readonly", SIGSEGV);
	EXPECT_KERNEL_HEALTHY();
}

TEST_F(faults, stack_overflow_is_sigsegv_handled_on_sigaltstack)
{
	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	/* No way back into the recursion: the handler exits 0 after reporting. */
	expect_handled(_metadata, variant, "stack",
		       "signal=SIGSEGV code=SEGV_MAPERR addr=stack-limit", "stack", "");
	EXPECT_KERNEL_HEALTHY();
}

TEST_F(faults, stack_overflow_unhandled_kills_with_sigsegv)
{
	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	expect_killed(_metadata, variant, "stack", SIGSEGV);
	EXPECT_KERNEL_HEALTHY();
}

TEST_F(faults, divide_by_zero_is_sigfpe_intdiv_at_the_instruction)
{
	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	expect_handled(_metadata, variant, "div0",
		       "signal=SIGFPE code=FPE_INTDIV addr=insn", "insn", "resumed\n");
	EXPECT_KERNEL_HEALTHY();
}

TEST_F(faults, divide_by_zero_unhandled_kills_with_sigfpe)
{
	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	expect_killed(_metadata, variant, "div0", SIGFPE);
	EXPECT_KERNEL_HEALTHY();
}

TEST_F(faults, ud2_is_sigill_illopn_at_the_instruction)
{
	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	expect_handled(_metadata, variant, "ud2",
		       "signal=SIGILL code=ILL_ILLOPN addr=insn", "insn", "resumed\n");
	EXPECT_KERNEL_HEALTHY();
}

TEST_F(faults, ud2_unhandled_kills_with_sigill)
{
	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	expect_killed(_metadata, variant, "ud2", SIGILL);
	EXPECT_KERNEL_HEALTHY();
}

TEST_F(faults, int3_is_sigtrap_with_rip_after_the_instruction)
{
	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	/* int3 is a trap: the saved RIP already points past it, as at ring 3. */
	expect_handled(_metadata, variant, "int3",
		       "signal=SIGTRAP code=SI_KERNEL addr=0", "resume", "resumed\n");
	EXPECT_KERNEL_HEALTHY();
}

TEST_F(faults, int3_unhandled_kills_with_sigtrap)
{
	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	expect_killed(_metadata, variant, "int3", SIGTRAP);
	EXPECT_KERNEL_HEALTHY();
}

TEST_HARNESS_MAIN
