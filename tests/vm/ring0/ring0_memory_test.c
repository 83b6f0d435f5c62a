// SPDX-License-Identifier: GPL-2.0
/*
 * The application's stack at CPL 0 is an ordinary user stack: it grows a
 * page fault at a time, and nothing the kernel does on the process's
 * behalf (interrupts, exceptions) writes into the 128-byte red zone below
 * %rsp, so code built without -mno-red-zone keeps working.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ring0.h"

RING0_FIXTURE(memory);

FIXTURE_VARIANT(memory) {
	const char *payload;		/* the -mno-red-zone build */
	const char *redzone_payload;	/* the build that uses the red zone */
	int cpl;
};

FIXTURE_VARIANT_ADD(memory, ring0) {
	.payload = PAYLOAD_RING0, .redzone_payload = PAYLOAD_RZ_RING0, .cpl = 0,
};
FIXTURE_VARIANT_ADD(memory, ring3) {
	.payload = PAYLOAD_RING3, .redzone_payload = PAYLOAD_RZ_RING3, .cpl = 3,
};

TEST_F(memory, stack_grows_on_demand_by_6_mb)
{
	char expected[128];
	struct child c;

	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	ASSERT_EQ(0, payload_run(&c, variant->payload, (const char *[]){ "stack-grow", "6", NULL }));
	snprintf(expected, sizeof(expected),
		 "cpl=%d\nstack grew by 6 MB\nstack pages intact: yes\n", variant->cpl);
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ(expected, c.output);
}

TEST_F(memory, red_zone_data_survives_timer_interrupts)
{
	struct spawn_opts opts = SPAWN_DEFAULTS;
	char expected[256];
	struct child c;
	pid_t rival;

	REQUIRE_FORM(&self->env, variant->redzone_payload, variant->cpl);
	/* A ring-3 rival on the same CPU makes the timer preempt the payload. */
	opts.cpu = some_cpu();
	rival = fork();
	ASSERT_LE(0, rival);
	if (rival == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		pin_self(opts.cpu);
		for (;;)
			__asm__ volatile("" ::: "memory");
	}
	ASSERT_EQ(0, child_spawn(&c, variant->redzone_payload,
				 (const char *[]){ "redzone", "500", NULL }, &opts));
	ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));
	kill(rival, SIGKILL);
	waitpid(rival, NULL, 0);
	snprintf(expected, sizeof(expected),
		 "cpl=%d\nred zone checked for 500 ms\nred zone intact: yes\npreempted: yes\n",
		 variant->cpl);
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ(expected, c.output);
}

TEST_F(memory, red_zone_check_notices_a_push_into_the_red_zone)
{
	char expected[128];
	struct child c;

	REQUIRE_FORM(&self->env, variant->redzone_payload, variant->cpl);
	/* The checker's own test: without it, "intact" would prove nothing. */
	ASSERT_EQ(0, payload_run(&c, variant->redzone_payload,
				 (const char *[]){ "redzone", "50", "clobber", NULL }));
	snprintf(expected, sizeof(expected),
		 "cpl=%d\nred zone checked for 50 ms\nred zone intact: no\n", variant->cpl);
	EXPECT_EQ(1, child_exit(&c));
	EXPECT_EQ(0, strncmp(expected, c.output, strlen(expected))) TH_LOG("output: %s", c.output);
}

TEST_HARNESS_MAIN
