// SPDX-License-Identifier: GPL-2.0
/*
 * A program carrying an enabled KML marker runs at CPL 0: its %cs says so
 * and it may execute instructions that only CPL 0 may. The same bytes with
 * the marker disabled, or without a marker, run at CPL 3 exactly as today.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ring0.h"

RING0_FIXTURE(cpl);

TEST_F(cpl, marked_program_runs_at_cpl0)
{
	struct child c;

	REQUIRE_RING0(&self->env);
	ASSERT_EQ(0, payload_run(&c, PAYLOAD_RING0, (const char *[]){ "cpl", NULL }));
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ("cpl=0\n", c.output);
}

TEST_F(cpl, marked_program_reads_cr0)
{
	struct child c;

	REQUIRE_RING0(&self->env);
	ASSERT_EQ(0, payload_run(&c, PAYLOAD_RING0, (const char *[]){ "cr0", NULL }));
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ("cpl=0\ncr0 PE=1 PG=1\n", c.output);
}

TEST_F(cpl, marked_program_reads_cr4)
{
	struct child c;

	REQUIRE_RING0(&self->env);
	ASSERT_EQ(0, payload_run(&c, PAYLOAD_RING0, (const char *[]){ "cr4", NULL }));
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ("cpl=0\ncr4 PAE=1 SMEP=0\n", c.output);
}

/*
 * A ring-0 task's GS bases follow it from CPU to CPU (the context switch
 * writes the inactive one only when the task last ran elsewhere), and the
 * syscall instructions between the moves (sched_setaffinity, getcpu) swap
 * in the base of the CPU they run on.
 */
TEST_F(cpl, gs_bases_follow_the_task_across_cpus)
{
	char expect[128];
	struct child c;
	cpu_set_t set;
	int cpus;

	REQUIRE_RING0(&self->env);
	ASSERT_EQ(0, sched_getaffinity(0, sizeof(set), &set));
	cpus = CPU_COUNT(&set);
	if (cpus < 2)
		SKIP(return, "one CPU online: nothing to migrate to");
	ASSERT_EQ(0, payload_run(&c, PAYLOAD_RING0,
				 (const char *[]){ "migrate", "200", NULL }));
	EXPECT_EQ(0, child_exit(&c));
	snprintf(expect, sizeof(expect),
		 "cpl=0\ncpus=%d\nmoves=200 agree=200 changed=199\n", cpus);
	EXPECT_STREQ(expect, c.output);
}

/*
 * A program that set its own GS base execs a ring-0 program: whatever
 * exec saved of the old base, the new program starts with both bases the
 * per-CPU one.
 */
TEST_F(cpl, gs_bases_after_an_exec_from_a_program_with_its_own)
{
	struct child c;

	REQUIRE_RING0(&self->env);
	ASSERT_EQ(0, payload_run(&c, PAYLOAD_RING3,
				 (const char *[]){ "exec-gs", "0x10000", PAYLOAD_RING0,
						   "migrate", "1", NULL }));
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_NE(NULL, strstr(c.output, "before exec cpl=3\ncpl=0\n"))
		TH_LOG("%s", c.output);
	EXPECT_NE(NULL, strstr(c.output, "moves=1 agree=1 changed=0\n"))
		TH_LOG("%s", c.output);
}

TEST_F(cpl, red_zone_build_runs_at_cpl0_too)
{
	struct child c;

	REQUIRE_RING0(&self->env);
	REQUIRE_PAYLOAD(PAYLOAD_RZ_RING0);
	ASSERT_EQ(0, payload_run(&c, PAYLOAD_RZ_RING0, (const char *[]){ "cpl", NULL }));
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ("cpl=0\n", c.output);
}

TEST_F(cpl, disabled_marker_runs_at_cpl3)
{
	struct child c;

	REQUIRE_PAYLOAD(PAYLOAD_RING3);
	ASSERT_EQ(0, payload_run(&c, PAYLOAD_RING3, (const char *[]){ "cpl", NULL }));
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ("cpl=3\n", c.output);
}

TEST_F(cpl, disabled_marker_dies_of_sigsegv_reading_cr0)
{
	struct child c;

	REQUIRE_PAYLOAD(PAYLOAD_RING3);
	ASSERT_EQ(0, payload_run(&c, PAYLOAD_RING3, (const char *[]){ "cr0", NULL }));
	/* mov from %cr0 at CPL 3 is #GP, delivered as SIGSEGV. */
	EXPECT_EQ(128 + SIGSEGV, child_exit(&c));
	EXPECT_STREQ("cpl=3\n", c.output);
}

TEST_F(cpl, unmarked_program_runs_at_cpl3)
{
	struct child c;

	REQUIRE_PAYLOAD(PAYLOAD_UNMARKED);
	ASSERT_EQ(0, payload_run(&c, PAYLOAD_UNMARKED, (const char *[]){ "cpl", NULL }));
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ("cpl=3\n", c.output);
}

TEST_F(cpl, unmarked_program_dies_of_sigsegv_reading_cr0)
{
	struct child c;

	REQUIRE_PAYLOAD(PAYLOAD_UNMARKED);
	ASSERT_EQ(0, payload_run(&c, PAYLOAD_UNMARKED, (const char *[]){ "cr0", NULL }));
	EXPECT_EQ(128 + SIGSEGV, child_exit(&c));
	EXPECT_STREQ("cpl=3\n", c.output);
}

TEST_HARNESS_MAIN
