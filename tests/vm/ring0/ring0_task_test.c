// SPDX-License-Identifier: GPL-2.0
/*
 * Tasks made by a ring-0 process: threads (clone with CLONE_THREAD) and
 * forked children run at CPL 0 like their parent; exec picks the ring from
 * the new program's marker, so an unmarked program drops to CPL 3. Vector
 * register state belongs to each task and survives preemption, whichever
 * ring the tasks sharing a CPU run at.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "ring0.h"

RING0_FIXTURE(tasks);

FIXTURE_VARIANT(tasks) {
	const char *payload;
	int cpl;
};

FIXTURE_VARIANT_ADD(tasks, ring0) { .payload = PAYLOAD_RING0, .cpl = 0 };
FIXTURE_VARIANT_ADD(tasks, ring3) { .payload = PAYLOAD_RING3, .cpl = 3 };

TEST_F(tasks, threads_run_at_the_ring_of_their_process)
{
	char expected[512];
	struct child c;
	int i, n = 0;

	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	ASSERT_EQ(0, payload_run(&c, variant->payload, (const char *[]){ "threads", "4", NULL }));
	n += snprintf(expected + n, sizeof(expected) - n, "cpl=%d\n", variant->cpl);
	for (i = 0; i < 4; i++)
		n += snprintf(expected + n, sizeof(expected) - n,
			      "thread %d cpl=%d own-tid=yes\n", i, variant->cpl);
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ(expected, c.output);
}

TEST_F(tasks, forked_child_runs_at_the_ring_of_its_parent)
{
	char expected[256];
	struct child c;

	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	ASSERT_EQ(0, payload_run(&c, variant->payload, (const char *[]){ "fork", NULL }));
	snprintf(expected, sizeof(expected), "cpl=%d\nchild cpl=%d own-pid=yes\nchild exit=7\n",
		 variant->cpl, variant->cpl);
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ(expected, c.output);
}

TEST_F(tasks, vfork_child_execs_on_the_shared_stack)
{
	char expected[256];
	struct child c;

	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	/* The vfork child execs the same form again: "cpl" at the same ring. */
	ASSERT_EQ(0, payload_run(&c, variant->payload,
				 (const char *[]){ "vfork", variant->payload, NULL }));
	snprintf(expected, sizeof(expected), "cpl=%d\ncpl=%d\nchild exit=0\n",
		 variant->cpl, variant->cpl);
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ(expected, c.output);
}

TEST_F(tasks, exec_of_unmarked_program_runs_at_cpl3)
{
	char expected[128];
	struct child c;

	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	REQUIRE_PAYLOAD(PAYLOAD_UNMARKED);
	ASSERT_EQ(0, payload_run(&c, variant->payload,
				 (const char *[]){ "exec", PAYLOAD_UNMARKED, "cpl", NULL }));
	snprintf(expected, sizeof(expected), "before exec cpl=%d\ncpl=3\n", variant->cpl);
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ(expected, c.output);
}

TEST_F(tasks, exec_of_disabled_marker_runs_at_cpl3)
{
	char expected[128];
	struct child c;

	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	REQUIRE_PAYLOAD(PAYLOAD_RING3);
	ASSERT_EQ(0, payload_run(&c, variant->payload,
				 (const char *[]){ "exec", PAYLOAD_RING3, "cpl", NULL }));
	snprintf(expected, sizeof(expected), "before exec cpl=%d\ncpl=3\n", variant->cpl);
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ(expected, c.output);
}

TEST_F(tasks, exec_of_marked_program_runs_at_cpl0)
{
	char expected[128];
	struct child c;

	/* From either ring: the new program's marker decides. */
	REQUIRE_RING0(&self->env);
	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	ASSERT_EQ(0, payload_run(&c, variant->payload,
				 (const char *[]){ "exec", PAYLOAD_RING0, "cpl", NULL }));
	snprintf(expected, sizeof(expected), "before exec cpl=%d\ncpl=0\n", variant->cpl);
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ(expected, c.output);
}

/*
 * Runs two "fpu KIND SEED" payloads pinned to one CPU for 500 ms each,
 * first in form a, second in form b, started together once both are
 * ready, and checks both found their own registers intact and were
 * preempted at least once.
 */
static void expect_vector_state_kept(struct __test_metadata *_metadata,
				     const char *kind, const char *a, int cpl_a,
				     const char *b, int cpl_b)
{
	struct spawn_opts opts = SPAWN_DEFAULTS;
	char expected[128];
	struct child one, two;

	opts.cpu = some_cpu();
	opts.keep_stdin = true;
	ASSERT_EQ(0, child_spawn(&one, a, (const char *[]){ "fpu", kind, "1", "500", "wait", NULL },
				 &opts));
	ASSERT_EQ(0, child_spawn(&two, b, (const char *[]){ "fpu", kind, "2", "500", "wait", NULL },
				 &opts));
	if (child_wait_line(&one, "ready", PAYLOAD_TIMEOUT_MS) && child_said(&one, "avx2: unsupported")) {
		child_kill(&two);
		SKIP(return, "this CPU (or its XSAVE setup) has no AVX2");
	}
	ASSERT_TRUE(child_said(&one, "ready")) TH_LOG("output: %s", one.output);
	ASSERT_EQ(0, child_wait_line(&two, "ready", PAYLOAD_TIMEOUT_MS));
	ASSERT_EQ(1, write(one.in, "g", 1));
	ASSERT_EQ(1, write(two.in, "g", 1));
	ASSERT_EQ(0, child_finish(&one, PAYLOAD_TIMEOUT_MS));
	ASSERT_EQ(0, child_finish(&two, PAYLOAD_TIMEOUT_MS));
	snprintf(expected, sizeof(expected),
		 "cpl=%d\nready\n%s state intact: yes\npreempted: yes\n", cpl_a, kind);
	EXPECT_EQ(0, child_exit(&one));
	EXPECT_STREQ(expected, one.output);
	snprintf(expected, sizeof(expected),
		 "cpl=%d\nready\n%s state intact: yes\npreempted: yes\n", cpl_b, kind);
	EXPECT_EQ(0, child_exit(&two));
	EXPECT_STREQ(expected, two.output);
}

TEST_F(tasks, xmm_state_survives_preemption)
{
	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	expect_vector_state_kept(_metadata, "xmm", variant->payload, variant->cpl,
				 variant->payload, variant->cpl);
}

TEST_F(tasks, ymm_state_survives_preemption)
{
	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	expect_vector_state_kept(_metadata, "ymm", variant->payload, variant->cpl,
				 variant->payload, variant->cpl);
}

TEST_F(tasks, vector_check_notices_a_changed_register)
{
	char expected[64];
	struct child c;

	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	/* The checker's own test: without it, "intact" would prove nothing. */
	ASSERT_EQ(0, payload_run(&c, variant->payload,
				 (const char *[]){ "fpu", "xmm", "1", "20", "clobber", NULL }));
	snprintf(expected, sizeof(expected), "cpl=%d\nxmm state intact: no\n", variant->cpl);
	EXPECT_EQ(1, child_exit(&c));
	EXPECT_EQ(0, strncmp(expected, c.output, strlen(expected))) TH_LOG("output: %s", c.output);
}

TEST_F(tasks, ymm_state_survives_sharing_a_cpu_with_the_other_ring)
{
	/* One task at each ring on one CPU: every switch crosses rings. */
	REQUIRE_RING0(&self->env);
	REQUIRE_PAYLOAD(PAYLOAD_RING3);
	if (variant->cpl == 0)
		expect_vector_state_kept(_metadata, "ymm", PAYLOAD_RING0, 0, PAYLOAD_RING3, 3);
	else
		expect_vector_state_kept(_metadata, "ymm", PAYLOAD_RING3, 3, PAYLOAD_RING0, 0);
}

TEST_HARNESS_MAIN
