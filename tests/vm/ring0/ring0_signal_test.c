// SPDX-License-Identifier: GPL-2.0
/*
 * A ring-0 process is still an ordinary task to the scheduler and to
 * signals: the timer preempts its busy loop, SIGKILL ends it, a handler
 * runs at its ring and returns through sigreturn, and a blocking system
 * call interrupted by a signal restarts or fails with EINTR as at ring 3.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ring0.h"

RING0_FIXTURE(signals);

FIXTURE_VARIANT(signals) {
	const char *payload;
	int cpl;
};

FIXTURE_VARIANT_ADD(signals, ring0) { .payload = PAYLOAD_RING0, .cpl = 0 };
FIXTURE_VARIANT_ADD(signals, ring3) { .payload = PAYLOAD_RING3, .cpl = 3 };

/* A plain ring-3 task pinned to cpu that counts as fast as it can. */
static pid_t start_counter(int cpu, volatile unsigned long *counter)
{
	pid_t pid = fork();

	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		pin_self(cpu);
		for (;;)
			(*counter)++;
	}
	return pid;
}

TEST_F(signals, timer_preempts_a_busy_loop)
{
	volatile unsigned long *counter;
	struct spawn_opts opts = SPAWN_DEFAULTS;
	long long spin0, spin1;
	unsigned long count0, count1;
	struct child spinner;
	pid_t other;

	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, counter);
	/* The payload and a ring-3 counter share one CPU; neither yields. */
	opts.cpu = some_cpu();
	ASSERT_EQ(0, child_spawn(&spinner, variant->payload, (const char *[]){ "spin", NULL }, &opts));
	ASSERT_EQ(0, child_wait_line(&spinner, "spinning", PAYLOAD_TIMEOUT_MS));
	other = start_counter(opts.cpu, counter);
	ASSERT_LT(0, other);

	usleep(200 * 1000);
	count0 = *counter;
	spin0 = cpu_ticks(spinner.pid);
	usleep(600 * 1000);
	count1 = *counter;
	spin1 = cpu_ticks(spinner.pid);
	kill(other, SIGKILL);
	waitpid(other, NULL, 0);

	EXPECT_LT(count0, count1) TH_LOG("the ring-3 task on the same CPU made no progress");
	EXPECT_LT(spin0, spin1) TH_LOG("the spinning payload got no CPU time");
	/* Still spinning: preemption did not end it. */
	EXPECT_EQ(0, waitpid(spinner.pid, NULL, WNOHANG));
	child_kill(&spinner);
	EXPECT_STREQ("spinning\n", strchr(spinner.output, '\n') + 1);
}

TEST_F(signals, sigkill_ends_a_busy_loop)
{
	struct child spinner;

	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	ASSERT_EQ(0, child_spawn(&spinner, variant->payload, (const char *[]){ "spin", NULL }, NULL));
	ASSERT_EQ(0, child_wait_line(&spinner, "spinning", PAYLOAD_TIMEOUT_MS));
	ASSERT_EQ(0, child_signal(&spinner, SIGKILL));
	ASSERT_EQ(0, child_finish(&spinner, 5000));
	EXPECT_EQ(128 + SIGKILL, child_exit(&spinner));
}

TEST_F(signals, sigterm_handler_runs_at_payload_ring_and_returns)
{
	char expected[256];
	struct child c;

	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	ASSERT_EQ(0, child_spawn(&c, variant->payload, (const char *[]){ "sigterm", NULL }, NULL));
	ASSERT_EQ(0, child_wait_line(&c, "ready", PAYLOAD_TIMEOUT_MS));
	/* Let it get into its loop, so the signal interrupts payload code. */
	usleep(50 * 1000);
	ASSERT_EQ(0, child_signal(&c, SIGTERM));
	ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));
	snprintf(expected, sizeof(expected),
		 "cpl=%d\nready\nhandler cpl=%d\ninterrupted cpl=%d\nresumed: yes\n",
		 variant->cpl, variant->cpl, variant->cpl);
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ(expected, c.output);
}

TEST_F(signals, sigalrm_restarts_a_blocking_read_with_sa_restart)
{
	struct spawn_opts opts = SPAWN_DEFAULTS;
	char expected[256];
	struct child c;

	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	opts.keep_stdin = true;
	ASSERT_EQ(0, child_spawn(&c, variant->payload, (const char *[]){ "alarm", "restart", NULL }, &opts));
	ASSERT_EQ(0, child_wait_line(&c, "alarm handled", PAYLOAD_TIMEOUT_MS));
	/* The read went back to sleep: nothing more until there is input. */
	usleep(100 * 1000);
	EXPECT_EQ(-ETIMEDOUT, child_wait_line(&c, "read=1", 100));
	ASSERT_EQ(1, write(c.in, "x", 1));
	ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));
	snprintf(expected, sizeof(expected),
		 "cpl=%d\nblocking\nalarm handled\nread=1\nsignal seen: yes\n", variant->cpl);
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ(expected, c.output);
}

TEST_F(signals, sigalrm_interrupts_a_blocking_read_with_eintr)
{
	struct spawn_opts opts = SPAWN_DEFAULTS;
	char expected[256];
	struct child c;

	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	opts.keep_stdin = true;
	ASSERT_EQ(0, child_spawn(&c, variant->payload, (const char *[]){ "alarm", "eintr", NULL }, &opts));
	/* No input ever comes: only EINTR can end the read. */
	ASSERT_EQ(0, child_wait_line(&c, "signal seen: yes", PAYLOAD_TIMEOUT_MS));
	ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));
	snprintf(expected, sizeof(expected),
		 "cpl=%d\nblocking\nalarm handled\nread=-1 errno=EINTR\nsignal seen: yes\n",
		 variant->cpl);
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ(expected, c.output);
}

/* SIGSTOP, a pause, SIGCONT: the task is parked in the kernel and woken. */
static void stop_and_continue(struct __test_metadata *_metadata, struct child *c)
{
	ASSERT_EQ(0, child_signal(c, SIGSTOP));
	usleep(100 * 1000);
	ASSERT_EQ(0, child_signal(c, SIGCONT));
}

TEST_F(signals, nanosleep_resumes_after_stop_and_continue)
{
	char expected[128];
	struct child c;

	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	ASSERT_EQ(0, child_spawn(&c, variant->payload, (const char *[]){ "nanosleep", "500", NULL },
				 NULL));
	ASSERT_EQ(0, child_wait_line(&c, "sleeping", PAYLOAD_TIMEOUT_MS));
	usleep(50 * 1000);
	stop_and_continue(_metadata, &c);
	ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));
	snprintf(expected, sizeof(expected),
		 "cpl=%d\nsleeping\nnanosleep=0\nslept the full time: yes\n", variant->cpl);
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ(expected, c.output);
}

TEST_F(signals, blocking_read_resumes_after_stop_and_continue)
{
	struct spawn_opts opts = SPAWN_DEFAULTS;
	char expected[128];
	struct child c;

	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	opts.keep_stdin = true;
	ASSERT_EQ(0, child_spawn(&c, variant->payload, (const char *[]){ "read", NULL }, &opts));
	ASSERT_EQ(0, child_wait_line(&c, "blocking", PAYLOAD_TIMEOUT_MS));
	usleep(50 * 1000);
	stop_and_continue(_metadata, &c);
	/* Still blocked in the (restarted) read. */
	EXPECT_EQ(-ETIMEDOUT, child_wait_line(&c, "read=1", 100));
	ASSERT_EQ(1, write(c.in, "x", 1));
	ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));
	snprintf(expected, sizeof(expected), "cpl=%d\nblocking\nread=1\n", variant->cpl);
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ(expected, c.output);
}

TEST_HARNESS_MAIN
