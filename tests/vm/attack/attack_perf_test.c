// SPDX-License-Identifier: GPL-2.0
/*
 * Finding 7 (and 6): perf sampling with call chains over a ring-0 stress
 * run. The load is the system call fuzzer's worker (payload/sysfuzz.c):
 * direct-entry calls, the syscall instruction, page faults in its window,
 * signals, and garbage in %rbp, which is what the user call-chain walker
 * follows. Every sample interrupts a ring-0 task: in its own code (a
 * CPL-0 frame at a user address), in the kernel on its behalf, or in a
 * kml stub; the walker then reads the task's stack with
 * copy_from_user_nmi(). The kernel must stay untainted, the load must
 * finish as it does unobserved, and every sample must be told right:
 * PERF_RECORD_MISC_USER exactly when the sampled IP is in the user half
 * (an event in the first instructions of the direct entry is at a kernel
 * address on the task's own frame: patch 0021 makes it a kernel sample),
 * kernel frames only in the kernel part of the chain, and a user part that
 * starts at a user address.
 *
 * Two sources: the cpu-clock software event (an hrtimer interrupt) always,
 * and the CPU cycle counter (an NMI) where the CPU has a PMU; QEMU's TCG
 * has none, so that case skips there and runs under KVM. The ring-3 form
 * under the same sampling is the reference.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "attack.h"

#define RING_PAGES 64		/* data pages of the sample ring, a power of 2 */
#define STRESS_CALLS "4000"
#define CLOCK_PERIOD_NS 50000	/* 20 kHz */
/* Fewer samples than this do not mean anything. */
#define MIN_SAMPLES 100UL
#define CYCLES_PERIOD 200000
#define USER_TOP 0x0000800000000000UL

struct tally {
	unsigned long samples, user_ip, kernel_ip, user_frames, kernel_frames, lost;
	unsigned long wrong;	/* samples told wrong; the first few are logged */
	char first_wrong[256];
};

struct sampler {
	int fd;
	struct perf_event_mmap_page *meta;
	unsigned char *data;
	size_t data_size;
};

static int sampler_open(struct sampler *s, pid_t pid, uint32_t type, uint64_t config,
			uint64_t period, bool exclude_kernel)
{
	struct perf_event_attr a;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *ring;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = type;
	a.config = config;
	a.sample_period = period;
	a.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_CALLCHAIN;
	a.exclude_hv = 1;
	/* what perf paranoia 2 lets a user ask for: no kernel samples, no kernel chains */
	a.exclude_kernel = exclude_kernel;
	a.exclude_callchain_kernel = exclude_kernel;
	a.wakeup_events = 16;
	s->fd = (int)syscall(SYS_perf_event_open, &a, pid, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (s->fd < 0)
		return -errno;
	s->data_size = RING_PAGES * page;
	ring = mmap(NULL, (RING_PAGES + 1) * page, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
	if (ring == MAP_FAILED) {
		int err = -errno;

		close(s->fd);
		return err;
	}
	s->meta = ring;
	s->data = (unsigned char *)ring + page;
	return 0;
}

static void sampler_close(struct sampler *s)
{
	munmap(s->meta, s->data_size + (size_t)sysconf(_SC_PAGESIZE));
	close(s->fd);
}

static void ring_copy(const struct sampler *s, uint64_t at, void *to, size_t n)
{
	unsigned char *p = to;
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = s->data[(at + i) & (s->data_size - 1)];
}

static void wrong(struct tally *t, const char *fmt, unsigned long a, unsigned long b)
{
	if (!t->wrong++)
		snprintf(t->first_wrong, sizeof(t->first_wrong), fmt, a, b);
}

/* One PERF_RECORD_SAMPLE: ip, pid/tid, nr, ips[nr]. */
static void tally_sample(struct tally *t, uint16_t misc, const uint64_t *body, size_t words)
{
	bool user_sample = (misc & PERF_RECORD_MISC_CPUMODE_MASK) == PERF_RECORD_MISC_USER;
	uint64_t ip, nr, context = 0, i;
	bool first_user = false;

	if (words < 3)
		return wrong(t, "a sample of %lu words (%lu)", words, 0);
	ip = body[0];
	nr = body[2];
	if (3 + nr > words)
		return wrong(t, "a call chain of %lu entries in %lu words", nr, words);
	t->samples++;
	if (ip < USER_TOP)
		t->user_ip++;
	else
		t->kernel_ip++;
	if (user_sample != (ip < USER_TOP))
		wrong(t, "ip %#lx with cpumode %#lx", ip, misc & PERF_RECORD_MISC_CPUMODE_MASK);
	for (i = 0; i < nr; i++) {
		uint64_t f = body[3 + i];

		if (f >= (uint64_t)PERF_CONTEXT_MAX) {
			context = f;
			first_user = context == (uint64_t)PERF_CONTEXT_USER;
			continue;
		}
		if (context == (uint64_t)PERF_CONTEXT_USER) {
			/*
			 * Only the first entry is an instruction pointer; the
			 * rest is what the walker read from the user stack by
			 * %rbp, garbage here, which can hold any value.
			 */
			t->user_frames++;
			if (first_user && f >= USER_TOP)
				wrong(t, "the user chain starts at kernel address %#lx (entry %lu)",
				      f, i);
			first_user = false;
		} else if (context == (uint64_t)PERF_CONTEXT_KERNEL) {
			t->kernel_frames++;
			if (f < USER_TOP)
				wrong(t, "user address %#lx in the kernel chain (entry %lu)", f, i);
		}
	}
}

/* Reads every complete record in the ring and frees its space. */
static void sampler_drain(struct sampler *s, struct tally *t)
{
	uint64_t head = __atomic_load_n(&s->meta->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = s->meta->data_tail;
	static uint64_t body[4096];

	while (tail + sizeof(struct perf_event_header) <= head) {
		struct perf_event_header h;
		size_t n;

		ring_copy(s, tail, &h, sizeof(h));
		if (h.size < sizeof(h) || tail + h.size > head)
			break;
		n = h.size - sizeof(h);
		if (n > sizeof(body))
			n = sizeof(body);
		ring_copy(s, tail + sizeof(h), body, n);
		if (h.type == PERF_RECORD_SAMPLE)
			tally_sample(t, h.misc, body, n / 8);
		else if (h.type == PERF_RECORD_LOST)
			t->lost += body[1];
		tail += h.size;
	}
	__atomic_store_n(&s->meta->data_tail, tail, __ATOMIC_RELEASE);
}

/*
 * Whether @pid has exited: a child of ours stays unreaped, for
 * child_finish(); someone else's (as_user()'s sampler) is asked by kill().
 */
static bool exited(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT))
		return errno != ECHILD || kill(pid, 0);
	return si.si_pid == pid;
}

/*
 * Drains the sampler into @t while @pid runs, for at most @ms (0: until
 * it exits), then once more.
 */
static void sample_until(struct sampler *s, struct tally *t, pid_t pid, int ms)
{
	long long until = kml_now_ms() + ms;

	while (!exited(pid) && (!ms || kml_now_ms() < until)) {
		struct pollfd p = { .fd = s->fd, .events = POLLIN };

		poll(&p, 1, 50);
		sampler_drain(s, t);
	}
	sampler_drain(s, t);
}

/*
 * Runs the stress load (the sysfuzz worker, form @form) under a sampler
 * of @type/@config. Returns 0, or -errno from perf_event_open (the caller
 * decides whether that is a skip); the load's result is in @c.
 */
static int sample_stress(struct __test_metadata *_metadata, const char *form, uint32_t type,
			 uint64_t config, uint64_t period, struct child *c, struct tally *t)
{
	char dir[] = "/tmp/kml-perf-XXXXXX", work[64], log[64], cmd[96];
	struct sampler s;
	int ret;

	memset(t, 0, sizeof(*t));
	if (!mkdtemp(dir))
		return -errno;
	snprintf(work, sizeof(work), "%s/w", dir);
	snprintf(log, sizeof(log), "%s/log", dir);
	ret = child_spawn(c, form, (const char *[]){ "sysfuzz", "7", STRESS_CALLS, work, log, NULL },
			  &(struct spawn_opts){ .cpu = -1 });
	if (!ret) {
		ret = sampler_open(&s, c->pid, type, config, period, false);
		if (ret) {
			child_kill(c);
		} else {
			sample_until(&s, t, c->pid, 0);
			sampler_close(&s);
			child_finish(c, PAYLOAD_TIMEOUT_MS);
		}
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		TH_LOG("could not remove %s", dir);
	return ret;
}

/*
 * The kernel lowers perf_event_max_sample_rate when samples take long
 * (KASAN, call chains), down to a few samples a tick; the tests want
 * thousands. perf_cpu_time_max_percent=0 turns that off for the test.
 */
#define CPU_TIME_SYSCTL "/proc/sys/kernel/perf_cpu_time_max_percent"
#define MAX_RATE_SYSCTL "/proc/sys/kernel/perf_event_max_sample_rate"
/* 2, the kernel's default: users may profile their own processes' user code */
#define PARANOID_SYSCTL "/proc/sys/kernel/perf_event_paranoid"

static long sysctl_swap(const char *path, long value)
{
	FILE *f = fopen(path, "r+");
	long old = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &old) != 1)
		old = -1;
	rewind(f);
	fprintf(f, "%ld\n", value);
	fclose(f);
	return old;
}

struct nobody_sampling {
	pid_t pid;
	int ms;
	int open_errno;
	struct tally t;
};

/* As nobody (as_user()): samples job->pid, user code only, for job->ms. */
static int sample_as_nobody(void *data)
{
	struct nobody_sampling *job = data;
	long long give_up;
	struct sampler s;
	int ret;

	ret = sampler_open(&s, job->pid, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK,
			   CLOCK_PERIOD_NS, true);
	if (ret) {
		job->open_errno = -ret;
		return 1;
	}
	/*
	 * job->ms of wall time, and on until MIN_SAMPLES (up to a minute):
	 * under TCG on a loaded host the task may get little CPU time.
	 */
	give_up = kml_now_ms() + 60000;
	do
		sample_until(&s, &job->t, job->pid, job->ms);
	while (job->t.samples <= MIN_SAMPLES && !exited(job->pid) &&
	       kml_now_ms() < give_up);
	sampler_close(&s);
	return 0;
}

/*
 * What a user may do at perf paranoia 2 to its own process: a ring-0
 * task that dropped to nobody calls getppid through the direct entry in
 * a loop (the payload's entry-loop), and nobody samples it with
 * exclude_kernel for @ms. Returns as_user()'s result; the samples are in
 * job->t, the load's result in @c.
 */
static int sample_entry_loop_as_nobody(int ms, struct child *c, struct nobody_sampling *job)
{
	int ret;

	memset(job, 0, sizeof(*job));
	ret = spawn_ready(c, ATTACK_RING0, (const char *[]){ "entry-loop", "nobody", NULL }, -1);
	if (ret)
		return ret;
	job->pid = c->pid;
	job->ms = ms;
	ret = as_user(NOBODY, sample_as_nobody, job, sizeof(*job));
	child_signal(c, SIGUSR1);
	child_finish(c, PAYLOAD_TIMEOUT_MS);
	return ret;
}

static void expect_told_right(struct __test_metadata *_metadata, const char *form,
			      const struct child *c, const struct tally *t)
{
	ksft_print_msg("%s: %lu samples (%lu at user ips, %lu at kernel ips), %lu user and "
		       "%lu kernel frames, %lu lost, %lu told wrong\n",
		       form, t->samples, t->user_ip, t->kernel_ip, t->user_frames,
		       t->kernel_frames, t->lost, t->wrong);
	EXPECT_EQ(0, child_exit(c)) TH_LOG("%s under sampling: %s", form, c->output);
	EXPECT_NE(NULL, strstr(c->output, "sysfuzz: calls=" STRESS_CALLS))
		TH_LOG("%s", c->output);
	EXPECT_LT(20UL, t->samples) TH_LOG("too few samples to mean anything");
	EXPECT_LT(0UL, t->user_ip) TH_LOG("no sample in the program's own code");
	EXPECT_LT(0UL, t->kernel_ip) TH_LOG("no sample in the kernel");
	EXPECT_LT(0UL, t->user_frames) TH_LOG("no user call chain at all");
	EXPECT_EQ(0UL, t->wrong) TH_LOG("first: %s", t->first_wrong);
}

FIXTURE(perf) {
	struct attack_env env;
	long cpu_time, max_rate, paranoid;	/* the sysctls as they were */
};

FIXTURE_SETUP(perf)
{
	attack_env_setup(&self->env);
	self->cpu_time = sysctl_swap(CPU_TIME_SYSCTL, 0);
	self->max_rate = sysctl_swap(MAX_RATE_SYSCTL, 100000);
	self->paranoid = sysctl_swap(PARANOID_SYSCTL, 2);
}

FIXTURE_TEARDOWN(perf)
{
	if (self->cpu_time >= 0)
		sysctl_swap(CPU_TIME_SYSCTL, self->cpu_time);
	if (self->max_rate >= 0)
		sysctl_swap(MAX_RATE_SYSCTL, self->max_rate);
	if (self->paranoid >= 0)
		sysctl_swap(PARANOID_SYSCTL, self->paranoid);
	EXPECT_EQ(0, ring0_env_teardown(&self->env.ring0));
	EXPECT_EQ(self->env.tainted, kernel_tainted()) TH_LOG("the kernel is tainted now: see its log");
}

TEST_F_TIMEOUT(perf, cpu_clock_samples_with_call_chains_of_a_ring0_stress_run, 600)
{
	struct child c;
	struct tally t;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	ASSERT_EQ(0, sample_stress(_metadata, ATTACK_RING0, PERF_TYPE_SOFTWARE,
				   PERF_COUNT_SW_CPU_CLOCK, CLOCK_PERIOD_NS, &c, &t));
	expect_told_right(_metadata, ATTACK_RING0, &c, &t);
}

TEST_F_TIMEOUT(perf, cpu_clock_samples_of_the_ring3_form_are_the_reference, 600)
{
	struct child c;
	struct tally t;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING3, 3);
	ASSERT_EQ(0, sample_stress(_metadata, ATTACK_RING3, PERF_TYPE_SOFTWARE,
				   PERF_COUNT_SW_CPU_CLOCK, CLOCK_PERIOD_NS, &c, &t));
	expect_told_right(_metadata, ATTACK_RING3, &c, &t);
}

/*
 * The leak 0021 closes, as the unprivileged user it was open to: a sample
 * in the first instructions of the direct entry was a user sample at the
 * entry's kernel address, and passed exclude_kernel.
 */
TEST_F_TIMEOUT(perf, nobody_sampling_its_own_ring0_task_sees_no_kernel_address, 600)
{
	struct nobody_sampling job;
	struct tally *t = &job.t;
	struct child c;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	ASSERT_EQ(0, sample_entry_loop_as_nobody(5000, &c, &job))
		TH_LOG("perf_event_open as nobody: %s", strerror(job.open_errno));
	ksft_print_msg("entry-loop as nobody, exclude_kernel: %lu samples (%lu at user ips, %lu "
		       "at kernel ips), %lu user frames, %lu told wrong\n", t->samples, t->user_ip,
		       t->kernel_ip, t->user_frames, t->wrong);
	EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
	EXPECT_NE(NULL, strstr(c.output, "uid=65534\n")) TH_LOG("%s", c.output);
	EXPECT_NE(NULL, strstr(c.output, "entry-loop: ok")) TH_LOG("%s", c.output);
	EXPECT_LT(MIN_SAMPLES, t->samples) TH_LOG("too few samples to mean anything");
	EXPECT_EQ(0UL, t->kernel_ip) TH_LOG("a kernel address passed exclude_kernel");
	EXPECT_EQ(0UL, t->wrong) TH_LOG("first: %s", t->first_wrong);
}

TEST_F_TIMEOUT(perf, cycle_counter_nmi_samples_with_call_chains_of_a_ring0_stress_run, 600)
{
	struct child c;
	struct tally t;
	int ret;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	ret = sample_stress(_metadata, ATTACK_RING0, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES,
			    CYCLES_PERIOD, &c, &t);
	if (ret == -ENOENT || ret == -EOPNOTSUPP || ret == -ENODEV)
		SKIP(return, "no hardware cycle counter (no PMU: QEMU TCG): %s", strerror(-ret));
	ASSERT_EQ(0, ret);
	expect_told_right(_metadata, ATTACK_RING0, &c, &t);
}

TEST_HARNESS_MAIN
