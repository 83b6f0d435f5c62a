// SPDX-License-Identifier: GPL-2.0
/*
 * Many ring-0 processes at once, beside ring-3 load: eight marked payloads
 * loop over system calls, caught faults, timer and self-sent signals and
 * forks for KML_STRESS_SECONDS (default 20, or what the build compiled
 * in), while two ring-3 copies do the same and the test stops and
 * continues them from outside. Every worker must finish its run with all
 * its checks passed, and the kernel must come out untainted and still
 * able to start a ring-0 program.
 *
 * The ring3 variant runs the same mix with ring-3 workers only, for a
 * fifth of the time: the reference that the payload itself is sound.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ring0.h"

#ifndef KML_STRESS_SECONDS_DEFAULT
#define KML_STRESS_SECONDS_DEFAULT 20
#endif
#define STRESS_SECONDS_MAX 300

#define RING0_WORKERS 8
#define RING3_WORKERS 2
#define WORKERS (RING0_WORKERS + RING3_WORKERS)

static int stress_seconds(void)
{
	const char *env = getenv("KML_STRESS_SECONDS");
	long s = env && *env ? strtol(env, NULL, 10) : KML_STRESS_SECONDS_DEFAULT;

	if (s < 1)
		s = 1;
	if (s > STRESS_SECONDS_MAX)
		s = STRESS_SECONDS_MAX;
	return (int)s;
}

FIXTURE(stress) {
	struct ring0_env env;
	long long tainted;
};

FIXTURE_VARIANT(stress) {
	const char *payload;	/* form of the first RING0_WORKERS workers */
	int cpl;
	int time_divisor;
};

FIXTURE_VARIANT_ADD(stress, ring0) { .payload = PAYLOAD_RING0, .cpl = 0, .time_divisor = 1 };
FIXTURE_VARIANT_ADD(stress, ring3) { .payload = PAYLOAD_RING3, .cpl = 3, .time_divisor = 5 };

FIXTURE_SETUP(stress)
{
	ring0_env_setup(&self->env);
	self->tainted = kernel_tainted();
}

FIXTURE_TEARDOWN(stress)
{
	int ret = ring0_env_teardown(&self->env);

	if (ret)
		TH_LOG("unloading kml.ko: %s", strerror(-ret));
	EXPECT_EQ(0, ret);
}

static struct child workers[WORKERS];

TEST_F_TIMEOUT(stress, workers_pass_every_check_beside_ring3_load,
	       STRESS_SECONDS_MAX + 120)
{
	int seconds = stress_seconds() / variant->time_divisor;
	struct timespec pause = { 0, 250 * 1000 * 1000 };
	char arg[16], first[16];
	struct child probe;
	int i, round;

	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	REQUIRE_PAYLOAD(PAYLOAD_RING3);
	if (seconds < 1)
		seconds = 1;
	TH_LOG("%d workers for %d s (KML_STRESS_SECONDS)", WORKERS, seconds);
	snprintf(arg, sizeof(arg), "%d", seconds);
	for (i = 0; i < WORKERS; i++) {
		const char *form = i < RING0_WORKERS ? variant->payload : PAYLOAD_RING3;

		ASSERT_EQ(0, child_spawn(&workers[i], form,
					 (const char *[]){ "stress", arg, NULL }, NULL))
			TH_LOG("worker %d", i);
	}
	/* Meanwhile, stop and continue one worker after another. */
	for (round = 0; round < seconds * 2; round++) {
		struct child *w = &workers[round % WORKERS];

		kill(w->pid, SIGSTOP);
		nanosleep(&pause, NULL);
		kill(w->pid, SIGCONT);
		nanosleep(&pause, NULL);
	}
	for (i = 0; i < WORKERS; i++) {
		int cpl = i < RING0_WORKERS ? variant->cpl : 3;

		ASSERT_EQ(0, child_finish(&workers[i], seconds * 1000 + PAYLOAD_TIMEOUT_MS))
			TH_LOG("worker %d did not finish", i);
		snprintf(first, sizeof(first), "cpl=%d\n", cpl);
		EXPECT_EQ(0, strncmp(first, workers[i].output, strlen(first)))
			TH_LOG("worker %d: %s", i, workers[i].output);
		EXPECT_EQ(0, child_exit(&workers[i])) TH_LOG("worker %d: %s", i, workers[i].output);
		EXPECT_TRUE(child_said(&workers[i], "stress: ok"))
			TH_LOG("worker %d: %s", i, workers[i].output);
	}
	TH_LOG("worker 0: %s", workers[0].output);
	EXPECT_EQ(self->tainted, kernel_tainted()) TH_LOG("the kernel got tainted");
	/* The system still starts programs, at the right ring. */
	ASSERT_EQ(0, payload_run(&probe, variant->payload, (const char *[]){ "cpl", NULL }));
	snprintf(first, sizeof(first), "cpl=%d\n", variant->cpl);
	EXPECT_STREQ(first, probe.output);
}

TEST_HARNESS_MAIN
