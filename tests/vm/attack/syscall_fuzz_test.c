// SPDX-License-Identifier: GPL-2.0
/*
 * The ring-0 system call fuzzer, differential: random system calls with
 * random arguments, RFLAGS and register garbage (the payload's sysfuzz
 * mode, payload/sysfuzz.c) from several ring-0 processes, each beside a
 * ring-3 process that makes exactly the same calls, pinned to the same
 * CPU, with a ring-3 pingpong checking its own data on the first CPU the
 * whole time. Every call's result, and what it wrote, must be the same at
 * ring 0 as at ring 3, whether it went through the direct entry, the
 * bypass or the syscall instruction, and every worker must find its
 * registers and flags as the ABI promises after every call. The kernel
 * must stay untainted (no WARN, oops or KASAN report).
 *
 * Pairs: KML_SYSCALL_FUZZ_PAIRS (default 3; every third one uses the
 * bypass form), calls a worker: KML_SYSCALL_FUZZ_CALLS (default 10000),
 * seed: KML_SYSCALL_FUZZ_SEED (default 1; pair P uses SEED + P). The
 * kernel command line reaches /init's environment: `make check` runs the
 * default, `make fuzz` SYSCALL_FUZZ_CALLS a worker (docs/fuzzing.md).
 *
 * The one ring-0 difference the comparison accepts (EXCEPTIONS below):
 * arch_prctl(ARCH_SET_GS) is refused with EPERM at ring 0 (patch 0015:
 * at CPL 0 the GS base is the kernel's). The one the generator avoids:
 * it never asks mmap() or mprotect() for PROT_EXEC, which the gate
 * refuses at ring 0 for anonymous and unapproved memory (patch 0023,
 * tested by attack_gate_test), and which would leave the two address
 * spaces different for the rest of the run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "attack.h"

#define MAX_PAIRS 16
#define MAX_SHOWN 3

struct worker {
	const char *form;
	bool ring0, bypass;
	char dir[96], log[100];
	char seed[24], calls[24];
	struct child c;
};

struct exception {
	const char *call_prefix;	/* the log line from the call's name on */
	long ring0_result;
	const char *why;
};

static const struct exception exceptions[] = {
	{ "arch_prctl(1001,", -EPERM, "ARCH_SET_GS: at CPL 0 the GS base is the kernel's (0015)" },
};

static unsigned long env_ulong(const char *name, unsigned long dflt)
{
	const char *v = getenv(name);
	char *end;
	unsigned long n;

	if (!v || !*v)
		return dflt;
	n = strtoul(v, &end, 0);
	return *end ? dflt : n;
}

/* The part of a log line the forms must agree on: all but "INDEX VIA ". */
static const char *comparable(const char *line)
{
	const char *p = strchr(line, ' ');

	return p && p[1] && p[2] == ' ' ? p + 3 : line;
}

static long result_of(const char *rest)
{
	const char *eq = strstr(rest, ")=");

	return eq ? strtol(eq + 2, NULL, 10) : 0;
}

static const struct exception *excused(const char *r0, const char *r3)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(exceptions); i++) {
		const struct exception *e = &exceptions[i];
		size_t n = strlen(e->call_prefix);

		if (!strncmp(r0, e->call_prefix, n) && !strncmp(r3, e->call_prefix, n) &&
		    result_of(r0) == e->ring0_result)
			return e;
	}
	return NULL;
}

/*
 * Compares two logs line by line. Returns the number of differences not
 * excused (the first MAX_SHOWN are printed); *lines and *excuses count.
 */
static int compare_logs(struct __test_metadata *_metadata, const struct worker *w0,
			const struct worker *w3, unsigned long *lines, unsigned long *excuses)
{
	FILE *f0 = fopen(w0->log, "r"), *f3 = fopen(w3->log, "r");
	char *l0 = NULL, *l3 = NULL;
	size_t n0 = 0, n3 = 0;
	int bad = 0;

	*lines = *excuses = 0;
	if (!f0 || !f3) {
		TH_LOG("cannot open %s or %s: %s", w0->log, w3->log, strerror(errno));
		bad = 1;
		goto out;
	}
	for (;;) {
		ssize_t g0 = getline(&l0, &n0, f0), g3 = getline(&l3, &n3, f3);
		const struct exception *e;

		if (g0 < 0 && g3 < 0)
			break;
		if (g0 < 0 || g3 < 0) {
			TH_LOG("%s ends after %lu calls, the other log goes on",
			       g0 < 0 ? w0->log : w3->log, *lines);
			bad++;
			break;
		}
		++*lines;
		if (!strcmp(comparable(l0), comparable(l3)))
			continue;
		e = excused(comparable(l0), comparable(l3));
		if (e) {
			++*excuses;
			continue;
		}
		if (bad++ < MAX_SHOWN)
			TH_LOG("seed %s differs:\n  ring 0 (%s): %s  ring 3: %s", w0->seed, w0->form, l0,
			       l3);
	}
out:
	free(l0);
	free(l3);
	if (f0)
		fclose(f0);
	if (f3)
		fclose(f3);
	return bad;
}

/* "sysfuzz: calls=N entry=E syscall=S ms=T": false if it is not there. */
static bool worker_report(const struct worker *w, unsigned long *entry, unsigned long *ms)
{
	const char *line = strstr(w->c.output, "sysfuzz: calls=");
	unsigned long calls, sys;

	return line && sscanf(line, "sysfuzz: calls=%lu entry=%lu syscall=%lu ms=%lu", &calls,
			      entry, &sys, ms) == 4;
}

static void worker_init(struct worker *w, const char *top, unsigned long pair, bool ring0,
			unsigned long seed, unsigned long calls)
{
	w->ring0 = ring0;
	w->bypass = ring0 && pair % 3 == 2;
	w->form = !ring0 ? ATTACK_RING3 : w->bypass ? ATTACK_BYPASS : ATTACK_RING0;
	/* the same length of path in both forms: getcwd() returns it */
	snprintf(w->dir, sizeof(w->dir), "%s/%02lu-r%d", top, pair, ring0 ? 0 : 3);
	snprintf(w->log, sizeof(w->log), "%s.log", w->dir);
	snprintf(w->seed, sizeof(w->seed), "%lu", seed + pair);
	snprintf(w->calls, sizeof(w->calls), "%lu", calls);
}

static int worker_start(struct worker *w, int cpu)
{
	const char *args[] = { "sysfuzz", w->seed, w->calls, w->dir, w->log,
			       w->bypass ? "bypass" : NULL, NULL };

	return child_spawn(&w->c, w->form, args, &(struct spawn_opts){ .cpu = cpu });
}

ATTACK_FIXTURE(sysfuzz);

/* The differential run: @pairs pairs of workers, @calls calls each. */
static void fuzz_pairs(struct __test_metadata *_metadata, FIXTURE_DATA(sysfuzz) *self,
		       unsigned long pairs, unsigned long calls, unsigned long seed)
{
	/* generous: TCG with KASAN runs some calls in milliseconds */
	int timeout_ms = (int)(60000 + calls * 20 * pairs);
	unsigned long p, total_lines = 0, total_excused = 0, ring0_calls = 0, entry_calls = 0;
	struct worker *w;
	struct child load;
	char top[] = "/tmp/kml-sysfuzz-XXXXXX";
	long long start, wall;
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN), bad = 0;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	REQUIRE_ATTACK_FORM(&self->env, ATTACK_BYPASS, 0);
	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING3, 3);
	ASSERT_GE(pairs, 1UL);
	ASSERT_LE(pairs, (unsigned long)MAX_PAIRS);
	ASSERT_NE(NULL, mkdtemp(top));
	w = calloc(2 * pairs, sizeof(*w));
	ASSERT_NE(NULL, w);
	if (ncpu < 1)
		ncpu = 1;

	/* ring-3 load that checks every byte it moves, on CPU 0 */
	ASSERT_EQ(0, spawn_ready(&load, ATTACK_RING3, (const char *[]){ "pingpong", NULL }, 0))
		TH_LOG("%s", load.output);

	start = kml_now_ms();
	for (p = 0; p < pairs; p++) {
		int cpu = (int)(p % ncpu);

		worker_init(&w[2 * p], top, p, true, seed, calls);
		worker_init(&w[2 * p + 1], top, p, false, seed, calls);
		ASSERT_EQ(0, worker_start(&w[2 * p], cpu));
		ASSERT_EQ(0, worker_start(&w[2 * p + 1], cpu));
	}
	for (p = 0; p < 2 * pairs; p++)
		ASSERT_EQ(0, child_finish(&w[p].c, timeout_ms))
			TH_LOG("%s (seed %s) did not finish in %d ms", w[p].form, w[p].seed,
			       timeout_ms);
	wall = kml_now_ms() - start;
	ASSERT_EQ(0, child_finish(&load, PAYLOAD_TIMEOUT_MS));
	EXPECT_STREQ("cpl=3\nready\npingpong: ok\n", load.output);

	for (p = 0; p < 2 * pairs; p++) {
		struct worker *x = &w[p];
		unsigned long entry = 0, ms = 0;

		EXPECT_EQ(0, child_exit(&x->c))
			TH_LOG("%s, seed %s: %s", x->form, x->seed, x->c.output);
		EXPECT_EQ(0, strncmp(x->c.output, x->ring0 ? "cpl=0\n" : "cpl=3\n", 6))
			TH_LOG("%s: %s", x->form, x->c.output);
		if (!worker_report(x, &entry, &ms)) {
			bad++;
			continue;
		}
		if (x->ring0) {
			/* both ways in were taken (half the calls each, at random) */
			EXPECT_LT(0UL, entry) TH_LOG("%s never used its entry", x->form);
			EXPECT_GT(calls, entry) TH_LOG("%s never used syscall", x->form);
			ring0_calls += calls;
			entry_calls += entry;
			ksft_print_msg("%s seed %s: %lu calls in %lu ms (%lu/s), %lu through %s\n",
				       x->form, x->seed, calls, ms, ms ? calls * 1000 / ms : 0,
				       entry, x->bypass ? "the bypass" : "the direct entry");
		}
	}
	ASSERT_EQ(0, bad) TH_LOG("a worker did not report");

	for (p = 0; p < pairs; p++) {
		unsigned long lines, excuses;

		bad += compare_logs(_metadata, &w[2 * p], &w[2 * p + 1], &lines, &excuses);
		EXPECT_EQ(calls, lines) TH_LOG("pair %lu: %lu calls logged", p, lines);
		total_lines += lines;
		total_excused += excuses;
	}
	ksft_print_msg("%lu pairs x %lu calls: %lu compared, %lu excused (ARCH_SET_GS), %lu differ; "
		       "%lu ring-0 calls (%lu by entry) in %lld ms of wall time, %lld calls/s "
		       "over all %lu workers\n",
		       pairs, calls, total_lines, total_excused, (unsigned long)bad, ring0_calls,
		       entry_calls, wall, wall ? (long long)(2 * pairs * calls * 1000 / wall) : 0,
		       2 * pairs);
	EXPECT_EQ(0, bad);
	free(w);
	if (!bad && !getenv("KML_SYSCALL_FUZZ_KEEP")) {
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
		if (system(cmd))
			TH_LOG("could not remove %s", top);
	}
}

TEST_F_TIMEOUT(sysfuzz, ring0_results_equal_ring3_results, 6 * 3600)
{
	fuzz_pairs(_metadata, self, env_ulong("KML_SYSCALL_FUZZ_PAIRS", 3),
		   env_ulong("KML_SYSCALL_FUZZ_CALLS", 10000),
		   env_ulong("KML_SYSCALL_FUZZ_SEED", 1));
}

#define TRACE_INSTANCE "/sys/kernel/tracing/instances/kml-sysfuzz"

/* Turns the kml system call events of the test's instance on or off. */
static int trace_syscalls(int on)
{
	static const char *const events[] = { "kml_direct_syscall", "kml_slow_syscall" };
	char path[160];
	size_t i;
	int ret = 0;

	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		snprintf(path, sizeof(path), TRACE_INSTANCE "/events/kml/%s/enable", events[i]);
		ret = ret ?: kml_write_text(path, on ? "1" : "0", O_TRUNC);
	}
	return ret;
}

/*
 * Patch 0031: while kml_direct_syscall is on, every direct call takes the
 * generic path (kml_do_syscall_64()) and every syscall instruction the
 * out-of-line slow path, each with its event. Random numbers, arguments,
 * RFLAGS and register garbage through them must still give what ring 3
 * gets, and the kernel must stay clean.
 */
TEST_F_TIMEOUT(sysfuzz, ring0_results_equal_ring3_results_while_traced, 3600)
{
	struct stat st;

	if (stat("/sys/kernel/tracing/instances", &st))
		ASSERT_EQ(0, mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL));
	rmdir(TRACE_INSTANCE);
	ASSERT_EQ(0, mkdir(TRACE_INSTANCE, 0700));
	ASSERT_EQ(0, trace_syscalls(1));
	fuzz_pairs(_metadata, self, 2, env_ulong("KML_SYSCALL_FUZZ_CALLS", 10000) / 5,
		   env_ulong("KML_SYSCALL_FUZZ_SEED", 1) + 100);
	EXPECT_EQ(0, trace_syscalls(0));
	EXPECT_EQ(0, rmdir(TRACE_INSTANCE));
}

TEST_HARNESS_MAIN
