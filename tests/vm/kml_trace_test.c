// SPDX-License-Identifier: GPL-2.0
/*
 * kml's trace events (docs/tracing.md), read from a tracefs instance of
 * the test's own: the core's kml_slow_syscall and kml_direct_syscall
 * (patch 0031) and kml.ko's kml_exec and kml_refused (loader/trace.h).
 * Each is off until asked for; each fires for what it names, with the
 * fields a reader needs, and for nothing else. The entry probe (tests/vm/
 * direct/entry_probe.c) makes a known number of calls through the entry
 * and one each of three through the syscall instruction it names.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kml_vmtest.h"

#define TRACEFS "/sys/kernel/tracing"
#define INSTANCE TRACEFS "/instances/kml-trace-test"
#define TESTS "/kml/tests/"
#define DIRECT TESTS "entry-probe.kml"
#define BYPASS TESTS "entry-probe.bypass"
#define RING3 TESTS "busybox.plain"
#define TRACE_MAX (1 << 20)

#define NR_GETPID 39
#define NR_GETPPID 110
#define NR_GETTID 186

static const char *const kml_events[] = {
	"kml_exec", "kml_refused", "kml_slow_syscall", "kml_direct_syscall",
};

/* tracefs, mounted where the kernel offers it if nobody has yet. */
static int tracefs_ready(void)
{
	struct stat st;

	if (!stat(TRACEFS "/events", &st))
		return 0;
	if (mount("tracefs", TRACEFS, "tracefs", 0, NULL))
		return -errno;
	return 0;
}

/* Turns @event of the test's instance on (1) or off (0): 0 or -errno. */
static int event_enable(const char *event, int on)
{
	char path[256];

	snprintf(path, sizeof(path), INSTANCE "/events/kml/%s/enable", event);
	return kml_write_text(path, on ? "1" : "0", O_TRUNC);
}

/* Empties the instance's buffer: 0 or -errno. */
static int trace_clear(void)
{
	return kml_write_text(INSTANCE "/trace", "", O_TRUNC);
}

/* The instance's buffer, in a malloc'd string the caller frees; NULL on error. */
static char *trace_read(void)
{
	char *buf = malloc(TRACE_MAX);

	if (buf && kml_read_text(INSTANCE "/trace", buf, TRACE_MAX) < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * The lines of @trace for @event ("kml_exec") by the task @pid (0: any)
 * holding @needle (NULL: any); how many, and the first in @first if set.
 */
static int trace_count(const char *trace, const char *event, long pid,
		       const char *needle, char *first, size_t first_size)
{
	char tag[64], task[32];
	const char *line = trace;
	int n = 0;

	snprintf(tag, sizeof(tag), " %s: ", event);
	snprintf(task, sizeof(task), "-%ld ", pid);
	while (line && *line) {
		const char *end = strchrnul(line, '\n');
		size_t len = end - line;
		char buf[1024];

		if (len < sizeof(buf)) {
			memcpy(buf, line, len);
			buf[len] = '\0';
			if (buf[0] != '#' && strstr(buf, tag) &&
			    (!pid || strstr(buf, task)) &&
			    (!needle || strstr(buf, needle))) {
				if (!n++ && first)
					snprintf(first, first_size, "%s", buf);
			}
		}
		line = *end ? end + 1 : NULL;
	}
	return n;
}

/* The decimal number after "@key=" in @text; -1 if there is none. */
static long said_number(const char *text, const char *key)
{
	char tag[32];
	const char *at;

	snprintf(tag, sizeof(tag), "%s=", key);
	at = strstr(text, tag);
	return at ? strtol(at + strlen(tag), NULL, 0) : -1;
}

FIXTURE(trace) {
	bool loaded_here;
	char *trace;
	struct child run;
};

FIXTURE_SETUP(trace)
{
	ASSERT_EQ(0, tracefs_ready());
	ASSERT_EQ(0, kml_ensure_loaded(&self->loaded_here));
	rmdir(INSTANCE);
	ASSERT_EQ(0, mkdir(INSTANCE, 0755)) TH_LOG("mkdir %s: %s", INSTANCE, strerror(errno));
	self->trace = NULL;
}

FIXTURE_TEARDOWN(trace)
{
	size_t i;

	children_kill_all();
	for (i = 0; i < ARRAY_SIZE(kml_events); i++)
		event_enable(kml_events[i], 0);
	EXPECT_EQ(0, rmdir(INSTANCE)) TH_LOG("rmdir %s: %s", INSTANCE, strerror(errno));
	free(self->trace);
	EXPECT_EQ(0, kml_release(self->loaded_here));
}

/* Runs @argv to its end with the instance's buffer emptied first; its trace after. */
static int run_traced(struct __test_metadata *_metadata, FIXTURE_DATA(trace) *self,
		      char *const argv[], const struct spawn_opts *opts)
{
	int ret;

	free(self->trace);
	self->trace = NULL;
	if (trace_clear())
		return -EIO;
	ret = child_spawn_argv(&self->run, argv, opts);
	if (ret && !self->run.exec_errno)
		return ret;
	if (!ret)
		ret = child_finish(&self->run, PAYLOAD_TIMEOUT_MS);
	self->trace = trace_read();
	if (!self->trace)
		return -EIO;
	TH_LOG("output: %s", self->run.output);
	return ret;
}

TEST_F(trace, every_event_is_listed_and_off_until_asked_for)
{
	char path[256], value[8];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kml_events); i++) {
		snprintf(path, sizeof(path), TRACEFS "/events/kml/%s/format", kml_events[i]);
		EXPECT_EQ(0, access(path, R_OK)) TH_LOG("%s", path);
		snprintf(path, sizeof(path), TRACEFS "/events/kml/%s/enable", kml_events[i]);
		EXPECT_LT(0, kml_read_text(path, value, sizeof(value))) TH_LOG("%s", path);
		EXPECT_EQ('0', value[0]) TH_LOG("%s is on at boot", kml_events[i]);
	}
}

TEST_F(trace, perf_lists_the_kml_events)
{
	char *const argv[] = { "/usr/bin/perf", "list", "tracepoint", NULL };
	char want[64];
	size_t i;

	ASSERT_EQ(0, access(argv[0], X_OK)) TH_LOG("perf is not in the image");
	ASSERT_EQ(0, kml_run(&self->run, argv, NULL, CHILD_STDERR_WITH_OUTPUT, NULL));
	EXPECT_EQ(0, child_exit(&self->run)) TH_LOG("%s", self->run.output);
	for (i = 0; i < ARRAY_SIZE(kml_events); i++) {
		snprintf(want, sizeof(want), "kml:%s", kml_events[i]);
		EXPECT_NE(NULL, strstr(self->run.output, want)) TH_LOG("no %s in perf list", want);
	}
}

TEST_F(trace, an_exec_at_ring_0_is_traced_with_its_verdict_and_assurance)
{
	char *const direct[] = { DIRECT, "entry", NULL };
	char *const bypass[] = { BYPASS, "entry", NULL };
	const char *want;

	ASSERT_EQ(0, event_enable("kml_exec", 1));
	ASSERT_EQ(0, run_traced(_metadata, self, direct, NULL));
	ASSERT_EQ(0, child_exit(&self->run));
	/* The VM's policy is development mode (allow_unsigned=1). */
	EXPECT_EQ(1, trace_count(self->trace, "kml_exec", self->run.pid,
				 "file=" DIRECT " verdict=ring0 reason=development-mode assurance=unsigned err=0",
				 NULL, 0)) TH_LOG("%s", self->trace);

	ASSERT_EQ(0, run_traced(_metadata, self, bypass, NULL));
	ASSERT_EQ(0, child_exit(&self->run));
	/* Under kml_strict_smep the bypass is not offered (patch 0028). */
	want = kml_strict_smep_booted() ? "verdict=ring0 reason=bypass-unavailable" :
			       "verdict=ring0-bypass reason=development-mode";
	EXPECT_EQ(1, trace_count(self->trace, "kml_exec", self->run.pid, want, NULL, 0))
		TH_LOG("%s", self->trace);
}

TEST_F(trace, only_marked_programs_have_an_exec_event)
{
	char *const plain[] = { RING3, "true", NULL };

	ASSERT_EQ(0, event_enable("kml_exec", 1));
	ASSERT_EQ(0, run_traced(_metadata, self, plain, NULL));
	EXPECT_EQ(0, trace_count(self->trace, "kml_exec", 0, NULL, NULL, 0))
		TH_LOG("%s", self->trace);
}

TEST_F(trace, a_disabled_marker_is_traced_as_ring_3)
{
	char *const argv[] = { (char *)payload_path("attack-payload.disabled"), "cpl", NULL };

	ASSERT_TRUE(payload_exists("attack-payload.disabled"));
	ASSERT_EQ(0, event_enable("kml_exec", 1));
	ASSERT_EQ(0, run_traced(_metadata, self, argv, NULL));
	EXPECT_EQ(1, trace_count(self->trace, "kml_exec", self->run.pid,
				 "verdict=ring3 reason=marker-disabled assurance= err=0", NULL, 0))
		TH_LOG("%s", self->trace);
}

TEST_F(trace, a_refused_exec_is_traced_with_its_reason_and_errno)
{
	char *const argv[] = { DIRECT, "entry", NULL };
	struct spawn_opts opts = SPAWN_DEFAULTS;

	opts.uid = 65534;
	ASSERT_EQ(0, event_enable("kml_exec", 1));
	ASSERT_EQ(0, event_enable("kml_refused", 1));
	run_traced(_metadata, self, argv, &opts);
	ASSERT_NE(NULL, self->trace);
	EXPECT_EQ(EPERM, self->run.exec_errno);
	EXPECT_EQ(1, trace_count(self->trace, "kml_exec", 0,
				 "file=" DIRECT " verdict=refused reason=unprivileged assurance= err=-1",
				 NULL, 0)) TH_LOG("%s", self->trace);
	EXPECT_EQ(1, trace_count(self->trace, "kml_refused", 0,
				 "kind=exec name=" DIRECT " reason=unprivileged", NULL, 0))
		TH_LOG("%s", self->trace);
}

TEST_F(trace, a_refused_mapping_is_traced_with_its_reason)
{
	char *const argv[] = { (char *)payload_path("attack-payload"), "map-exec", "anon", NULL };

	ASSERT_TRUE(payload_exists("attack-payload"));
	ASSERT_EQ(0, event_enable("kml_refused", 1));
	ASSERT_EQ(0, run_traced(_metadata, self, argv, NULL));
	EXPECT_NE(NULL, strstr(self->run.output, "result errno=13"));
	EXPECT_EQ(1, trace_count(self->trace, "kml_refused", self->run.pid,
				 "kind=mapping name=attack-payload reason=anonymous-exec", NULL, 0))
		TH_LOG("%s", self->trace);
	EXPECT_EQ(1, trace_count(self->trace, "kml_refused", self->run.pid, "err=-13", NULL, 0));
}

/* Every call at the probe's syscall instruction, and no other: one each of three. */
TEST_F(trace, a_slow_call_is_traced_at_its_syscall_instruction)
{
	char *const argv[] = { DIRECT, "ids", "5", NULL };
	static const int nrs[] = { NR_GETPID, NR_GETPPID, NR_GETTID };
	char site[64], want[96];
	size_t i;

	ASSERT_EQ(0, event_enable("kml_slow_syscall", 1));
	ASSERT_EQ(0, run_traced(_metadata, self, argv, NULL));
	ASSERT_EQ(0, child_exit(&self->run));
	ASSERT_LT(0, said_number(self->run.output, "site"));
	snprintf(site, sizeof(site), "site=0x%lx ", said_number(self->run.output, "site"));
	EXPECT_EQ(3, trace_count(self->trace, "kml_slow_syscall", self->run.pid, site, NULL, 0))
		TH_LOG("%s", self->trace);
	for (i = 0; i < ARRAY_SIZE(nrs); i++) {
		snprintf(want, sizeof(want), "nr=%d %s", nrs[i], site);
		EXPECT_EQ(1, trace_count(self->trace, "kml_slow_syscall", self->run.pid,
					 want, NULL, 0)) TH_LOG("%s", want);
	}
	/* The direct calls are not slow ones. */
	EXPECT_EQ(3, trace_count(self->trace, "kml_slow_syscall", self->run.pid, NULL, NULL, 0));
}

TEST_F(trace, a_direct_call_is_traced_while_the_event_is_on)
{
	char *const argv[] = { DIRECT, "ids", "7", NULL };

	ASSERT_EQ(0, event_enable("kml_direct_syscall", 1));
	ASSERT_EQ(0, run_traced(_metadata, self, argv, NULL));
	ASSERT_EQ(0, child_exit(&self->run));
	/* The probe's own getppid calls (libc makes none). */
	EXPECT_EQ(7, trace_count(self->trace, "kml_direct_syscall", self->run.pid,
				 "nr=110 ", NULL, 0)) TH_LOG("%s", self->trace);
	EXPECT_EQ(7, trace_count(self->trace, "kml_direct_syscall", self->run.pid,
				 "nr=186 ", NULL, 0));

	ASSERT_EQ(0, event_enable("kml_direct_syscall", 0));
	ASSERT_EQ(0, run_traced(_metadata, self, argv, NULL));
	ASSERT_EQ(0, child_exit(&self->run));
	EXPECT_EQ(0, trace_count(self->trace, "kml_direct_syscall", 0, NULL, NULL, 0))
		TH_LOG("%s", self->trace);
}

/* The bypass defers to the direct entry while work is pending: so it shows. */
TEST_F(trace, a_bypass_getter_is_traced_as_a_direct_call)
{
	char *const argv[] = { BYPASS, "ids", "6", NULL };

	ASSERT_EQ(0, event_enable("kml_direct_syscall", 1));
	ASSERT_EQ(0, run_traced(_metadata, self, argv, NULL));
	ASSERT_EQ(0, child_exit(&self->run));
	EXPECT_EQ(6, trace_count(self->trace, "kml_direct_syscall", self->run.pid,
				 "nr=110 ", NULL, 0)) TH_LOG("%s", self->trace);
	EXPECT_EQ(6, trace_count(self->trace, "kml_direct_syscall", self->run.pid,
				 "nr=186 ", NULL, 0));
}

TEST_F(trace, a_ring_3_task_has_no_system_call_event)
{
	char *const argv[] = { RING3, "echo", "at ring 3", NULL };

	ASSERT_EQ(0, event_enable("kml_slow_syscall", 1));
	ASSERT_EQ(0, event_enable("kml_direct_syscall", 1));
	run_traced(_metadata, self, argv, NULL);
	ASSERT_NE(NULL, self->trace);
	EXPECT_EQ(0, trace_count(self->trace, "kml_slow_syscall", 0, NULL, NULL, 0))
		TH_LOG("%s", self->trace);
	EXPECT_EQ(0, trace_count(self->trace, "kml_direct_syscall", 0, NULL, NULL, 0));
}

/* kml explain --trace: the same events, read and explained for a person. */
TEST_F(trace, kml_explain_trace_shows_each_call_its_path_and_the_slow_site)
{
	char *const argv[] = { "/usr/bin/kml", "explain", "--trace", "--",
			       DIRECT, "ids", "3", NULL };
	char want[160], *summary;
	long site, direct = -1, slow = -1;

	ASSERT_EQ(0, kml_run(&self->run, argv, NULL, CHILD_STDERR_WITH_OUTPUT, NULL));
	TH_LOG("%s", self->run.output);
	ASSERT_EQ(0, child_exit(&self->run));
	site = said_number(self->run.output, "site");
	ASSERT_LT(0, site);
	EXPECT_NE(NULL, strstr(self->run.output,
			       "ring 0, direct entry (development-mode, assurance unsigned)"));
	summary = strstr(self->run.output, "system calls at ring 0: ");
	ASSERT_NE(NULL, summary);
	ASSERT_EQ(2, sscanf(summary, "system calls at ring 0: %ld direct, %ld slow",
			    &direct, &slow));
	/* Four calls each round through the entry, three at the site. */
	EXPECT_LE(12, direct);
	EXPECT_EQ(3, slow);
	snprintf(want, sizeof(want), "0x%lx (probe_slow_call+0x7): 3 calls", site);
	EXPECT_NE(NULL, strstr(self->run.output, want)) TH_LOG("no slow site %s", want);
	EXPECT_NE(NULL, strstr(self->run.output, "direct  getppid (110)"));
	EXPECT_NE(NULL, strstr(self->run.output, "slow    gettid (186)"));
	/* Its instance is gone, and nothing was left on. */
	EXPECT_EQ(-1, access(TRACEFS "/instances/kml-explain-1", F_OK));
	EXPECT_EQ(0, trace_count(self->trace ?: "", "kml_exec", 0, NULL, NULL, 0));
}

/*
 * A dynamic program at ring 0 (docs/dynamic.md): kml run --ring0 execs
 * kml's rewritten ld.so, signed as trusted, which maps the program and
 * kml's rewritten libc; their calls go through the direct entry.
 */
TEST_F(trace, kml_explain_trace_follows_a_dynamic_program_run_at_ring_0)
{
	char *const approve[] = { "/usr/bin/kml", "approve", "/usr/lib/kml/servers.list", NULL };
	/* The report is long: the lines that matter, through grep. */
	char *const argv[] = { "/bin/sh", "-c",
			       "/usr/bin/kml explain --trace -- /usr/bin/kml run --ring0 -- "
			       "/usr/bin/redis-cli --version | grep -e redis-cli -e '^exec ' "
			       "-e '^summary' -e ' from$' -e 'direct  write (1)'", NULL };
	char assurance[32] = "", *summary;
	long direct = -1, slow = -1;

	ASSERT_LT(0, kml_sysfs_read("min_assurance", assurance, sizeof(assurance)));
	assurance[strcspn(assurance, "\n")] = '\0';
	/* Debian's files and kml's loader and libc are signed as trusted. */
	ASSERT_EQ(0, kml_sysfs_write("min_assurance", "trusted"));
	ASSERT_EQ(0, kml_run(&self->run, approve, NULL, CHILD_STDERR_WITH_OUTPUT, NULL));
	ASSERT_EQ(0, child_exit(&self->run)) TH_LOG("%s", self->run.output);
	ASSERT_EQ(0, kml_run(&self->run, argv, NULL, CHILD_STDERR_WITH_OUTPUT, NULL));
	EXPECT_EQ(0, kml_sysfs_write("min_assurance", assurance));
	TH_LOG("%s", self->run.output);
	ASSERT_EQ(0, child_exit(&self->run));
	EXPECT_NE(NULL, strstr(self->run.output, "redis-cli "));
	EXPECT_NE(NULL, strstr(self->run.output,
			       "exec /usr/lib/kml/ld-linux-x86-64.so.2 (pid "));
	EXPECT_NE(NULL, strstr(self->run.output,
			       "ring 0, direct entry (signed-manifest, assurance trusted)"));
	summary = strstr(self->run.output, "system calls at ring 0: ");
	ASSERT_NE(NULL, summary);
	ASSERT_EQ(2, sscanf(summary, "system calls at ring 0: %ld direct, %ld slow",
			    &direct, &slow));
	/* ld.so's and libc's calls; the one site left is rt_sigreturn's. */
	EXPECT_LT(20, direct);
	EXPECT_EQ(0, slow);
	/* Its write(1, "redis-cli 7...") went direct, from kml's libc: no name here. */
	EXPECT_NE(NULL, strstr(self->run.output, "direct  write (1)"));
	EXPECT_EQ(NULL, strstr(self->run.output, "_fini+")) TH_LOG("a name from the wrong file");
}

TEST_HARNESS_MAIN
