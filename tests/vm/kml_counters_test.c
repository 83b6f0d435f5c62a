// SPDX-License-Identifier: GPL-2.0
/*
 * Per-program system call counters (/sys/kernel/kml/programs) and the
 * bypass entry, checked against exact numbers: entry-probe (tests/vm/
 * direct/entry_probe.c, rewritten) makes a known number of calls through
 * the direct or the bypass entry and three through the one syscall
 * instruction the rewriter left, which it names. Libc's own calls go
 * through the entry too, so entry counts are compared between a run with
 * N calls and one with none. The rewritten busybox must take the direct
 * path for 100% of a shell loop's calls and at least 99% of the applets',
 * measured with `kml stats`.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kml_vmtest.h"

#define TESTS "/kml/tests/"
#define PROGRAMS "/sys/kernel/kml/programs"
#define DIRECT TESTS "entry-probe.kml"
#define BYPASS TESTS "entry-probe.bypass"
#define BUSYBOX TESTS "busybox.kml"

/* One line of /sys/kernel/kml/programs. */
struct record {
	unsigned long long seq;
	long pid;
	char state[16];
	long direct, bypass, slow, elsewhere;
	char sites[512];
	char comm[32];
};

static int parse_record(char *line, struct record *r)
{
	char *comm = strstr(line, " comm=");
	char *tok, *save;
	int keys = 0;

	memset(r, 0, sizeof(*r));
	if (!comm)
		return -1;
	*comm = '\0';
	snprintf(r->comm, sizeof(r->comm), "%s", comm + strlen(" comm="));
	r->comm[strcspn(r->comm, "\n")] = '\0';
	for (tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *val = strchr(tok, '=');

		if (!val)
			return -1;
		*val++ = '\0';
		keys++;
		if (!strcmp(tok, "seq"))
			r->seq = strtoull(val, NULL, 10);
		else if (!strcmp(tok, "pid"))
			r->pid = strtol(val, NULL, 10);
		else if (!strcmp(tok, "state"))
			snprintf(r->state, sizeof(r->state), "%s", val);
		else if (!strcmp(tok, "direct"))
			r->direct = strtol(val, NULL, 10);
		else if (!strcmp(tok, "bypass"))
			r->bypass = strtol(val, NULL, 10);
		else if (!strcmp(tok, "slow"))
			r->slow = strtol(val, NULL, 10);
		else if (!strcmp(tok, "elsewhere"))
			r->elsewhere = strtol(val, NULL, 10);
		else if (!strcmp(tok, "sites"))
			snprintf(r->sites, sizeof(r->sites), "%s", val);
	}
	return keys >= 8 ? 0 : -1;
}

/* The record of the program exec'd by @pid; 0 if found, -1 if not. */
static int find_record(long pid, struct record *out)
{
	char line[1024];
	FILE *f = fopen(PROGRAMS, "r");
	int found = -1;

	if (!f)
		return -1;
	while (found && fgets(line, sizeof(line), f)) {
		struct record r;

		if (!parse_record(line, &r) && r.pid == pid) {
			*out = r;
			found = 0;
		}
	}
	fclose(f);
	return found;
}

/* How many lines name @pid (a forked child must not have its own). */
static int count_records(long pid)
{
	char line[1024];
	FILE *f = fopen(PROGRAMS, "r");
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		struct record r;

		if (!parse_record(line, &r) && r.pid == pid)
			n++;
	}
	fclose(f);
	return n;
}

/* The address the probe printed as "site=0x..." */
static unsigned long probe_site(const char *out)
{
	const char *s = strstr(out, "site=");

	return s ? strtoul(s + strlen("site="), NULL, 16) : 0;
}

FIXTURE(counters) {
	bool loaded_here;
};

FIXTURE_SETUP(counters)
{
	int ret = kml_ensure_loaded(&self->loaded_here);

	ASSERT_EQ(0, ret) TH_LOG("loading kml.ko: %s", strerror(-ret));
}

FIXTURE_TEARDOWN(counters)
{
	kml_release(self->loaded_here);
}

TEST_F(counters, running_program_is_listed_then_reported_at_exit)
{
	int to_child[2], from_child[2];
	struct record r;
	char buf[64] = "";
	pid_t pid;
	int status;

	ASSERT_EQ(0, pipe(to_child));
	ASSERT_EQ(0, pipe(from_child));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		dup2(to_child[0], STDIN_FILENO);
		dup2(from_child[1], STDOUT_FILENO);
		close(to_child[1]);
		close(from_child[0]);
		execl(DIRECT, DIRECT, "wait", (char *)NULL);
		_exit(127);
	}
	close(to_child[0]);
	close(from_child[1]);
	/* "pid=N\nready\n" */
	while (!strstr(buf, "ready") && strlen(buf) < sizeof(buf) - 1 &&
	       read(from_child[0], buf + strlen(buf), sizeof(buf) - 1 - strlen(buf)) > 0)
		;
	ASSERT_NE(NULL, strstr(buf, "ready")) TH_LOG("probe said: %s", buf);
	ASSERT_EQ(0, find_record(pid, &r));
	EXPECT_STREQ("running", r.state);
	EXPECT_EQ(0, strncmp(r.comm, "entry-probe", strlen("entry-probe")))
		TH_LOG("comm=%s", r.comm);
	close(to_child[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	close(from_child[0]);
	ASSERT_EQ(0, find_record(pid, &r));
	EXPECT_STREQ("exited", r.state);
	EXPECT_EQ(1, count_records(pid));
}

/* Runs the probe with @args and returns its program's record. */
static void probe(struct __test_metadata *_metadata, const char *path,
		  const char *mode, const char *n, const char *k,
		  struct record *rec, unsigned long *site)
{
	static struct child r;
	char *argv[] = { (char *)path, (char *)mode, (char *)n, (char *)k, NULL };

	ASSERT_EQ(0, kml_run(&r, argv, NULL, CHILD_STDERR_WITH_OUTPUT, NULL));
	ASSERT_EQ(0, r.status) TH_LOG("%s", r.output);
	ASSERT_EQ(0, find_record(r.pid, rec)) TH_LOG("no record for pid %d", (int)r.pid);
	EXPECT_EQ(1, count_records(r.pid));
	if (site)
		*site = probe_site(r.output);
}

/* The only slow calls are the probe's three, at the site it names. */
static void expect_only_probe_site(struct __test_metadata *_metadata,
				   const struct record *rec, unsigned long site)
{
	char want[64];

	ASSERT_NE(0UL, site);
	snprintf(want, sizeof(want), "0x%lx:3", site);
	EXPECT_EQ(3, rec->slow);
	EXPECT_EQ(0, rec->elsewhere);
	EXPECT_STREQ(want, rec->sites);
}

/* "ids 0" and "ids 1000" through @path, each with only its own slow site. */
static void probe_ids(struct __test_metadata *_metadata, const char *path,
		      struct record *none, struct record *many)
{
	unsigned long site;

	probe(_metadata, path, "ids", "0", NULL, none, &site);
	expect_only_probe_site(_metadata, none, site);
	probe(_metadata, path, "ids", "1000", NULL, many, &site);
	expect_only_probe_site(_metadata, many, site);
}

TEST_F(counters, direct_entry_calls_and_the_left_site_are_counted_exactly)
{
	struct record none, many;

	probe_ids(_metadata, DIRECT, &none, &many);
	EXPECT_EQ(4000, many.direct - none.direct);
	EXPECT_EQ(0, none.bypass);
	EXPECT_EQ(0, many.bypass);
	EXPECT_LT(0, none.direct) TH_LOG("libc's calls should be direct too");
}

TEST_F(counters, bypass_answers_the_getters_like_the_syscall_instruction)
{
	struct record none, many;

	probe_ids(_metadata, BYPASS, &none, &many);
	if (kml_strict_smep_booted()) {
		/* No bypass with strict SMEP: everything is direct. */
		EXPECT_EQ(0, many.bypass);
		EXPECT_EQ(4000, many.direct - none.direct);
		return;
	}
	/*
	 * getpid, getppid, gettid: bypass; getuid: on to the direct entry.
	 * A getter that finds work pending on its way back (a reschedule, a
	 * signal) takes the direct entry by design, so a few of the 3000
	 * may be counted there: every call is counted once, getuid never
	 * takes the bypass, and the getters nearly always do.
	 */
	EXPECT_EQ(4000, (many.bypass - none.bypass) +
			(many.direct - none.direct));
	EXPECT_GE(3000, many.bypass - none.bypass);
	EXPECT_LE(3000 - 30, many.bypass - none.bypass);
}

/*
 * Whether a program gets the bypass is kml.ko's decision alone, and when
 * the kernel cannot offer it (kml_strict_smep here) the kernel log says
 * so and why; when it can, nothing is logged.
 */
TEST_F(counters, a_bypass_the_kernel_cannot_offer_is_logged_with_its_reason)
{
	const char *said = "no bypass entry (kml_strict_smep is on)";
	struct record rec;
	char line[1024];
	bool logged = false;
	ssize_t n;
	int kmsg;

	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, kmsg);
	lseek(kmsg, 0, SEEK_END);
	probe(_metadata, BYPASS, "ids", "10", NULL, &rec, NULL);
	while (!logged && (n = read(kmsg, line, sizeof(line) - 1)) > 0) {
		line[n] = '\0';
		logged = strstr(line, "no bypass entry") &&
			 strstr(line, "entry-probe.bypass");
		if (logged)
			EXPECT_NE(NULL, strstr(line, said)) TH_LOG("%s", line);
	}
	close(kmsg);
	if (kml_strict_smep_booted()) {
		EXPECT_TRUE(logged) TH_LOG("no log line says why there is no bypass");
		EXPECT_EQ(0, rec.bypass);
	} else {
		EXPECT_FALSE(logged) TH_LOG("the bypass is offered, yet refused");
		EXPECT_LE(30, rec.bypass);
	}
}

TEST_F(counters, forked_children_count_into_their_parents_program)
{
	struct record none, many;

	probe(_metadata, DIRECT, "fork", "0", "0", &none, NULL);
	probe(_metadata, DIRECT, "fork", "4", "250", &many, NULL);
	/* 1000 getppid, plus each child's exit and the parent's fork and wait */
	EXPECT_LE(1000, many.direct - none.direct);
	EXPECT_GE(1000 + 4 * 8, many.direct - none.direct);
}

TEST_F(counters, bypass_takes_the_direct_entry_in_a_child_pid_namespace)
{
	struct record base, ns;

	probe(_metadata, BYPASS, "ids", "0", NULL, &base, NULL);
	probe(_metadata, BYPASS, "pidns", NULL, NULL, &ns, NULL);
	/* The child's getters fell through to the direct entry. */
	EXPECT_EQ(base.bypass, ns.bypass);
	EXPECT_LE(base.direct + 3, ns.direct);
}

/* `kml stats --require-direct=99 -- CMD` exits 0 only with >= 99% direct. */
static void expect_direct_share(struct __test_metadata *_metadata,
				const char *pct, const char *script)
{
	static struct child r;
	char require[32];
	char *argv[] = { "/usr/bin/kml", "stats", require, "--", BUSYBOX,
			 "sh", "-c", (char *)script, NULL };

	snprintf(require, sizeof(require), "--require-direct=%s", pct);
	ASSERT_EQ(0, kml_run(&r, argv, NULL, CHILD_STDERR_WITH_OUTPUT, NULL));
	EXPECT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0)
		TH_LOG("kml stats said:\n%s", r.output);
	EXPECT_NE(NULL, strstr(r.output, "% direct")) TH_LOG("%s", r.output);
}

TEST_F(counters, rewritten_busybox_shell_loop_is_all_direct)
{
	expect_direct_share(_metadata, "100",
			    "i=0; while [ $i -lt 200 ]; do i=$((i + 1)); echo $i >/dev/null; done");
}

TEST_F(counters, rewritten_busybox_applets_are_99_percent_direct)
{
	expect_direct_share(_metadata, "99",
			    "printf 'pear\\napple\\nfig\\n' | " BUSYBOX " sort >/dev/null && "
			    BUSYBOX " md5sum /kml/kml.ko >/dev/null && "
			    BUSYBOX " gzip -c /kml/tests.list | " BUSYBOX " gzip -dc >/dev/null && "
			    BUSYBOX " find /kml -maxdepth 1 >/dev/null && "
			    "seq 1 100 | while read n; do echo $((n * n)); done >/dev/null");
}

/*
 * Programs built by our own toolchain (the ring-0 flags, static, kml
 * rewrite): every system call takes the direct path, and the output is the
 * one of the original at ring 3.
 */
static void expect_all_direct(struct __test_metadata *_metadata,
			      const char *name, const char *arg1,
			      const char *arg2, const char *in)
{
	static struct child plain, kml;
	static char err[4096];
	char plain_path[64], kml_path[64];
	char *plain_argv[] = { plain_path, (char *)arg1, (char *)arg2, NULL };
	char *stats_argv[] = { "/usr/bin/kml", "stats", "--require-direct=100",
			       "--", kml_path, (char *)arg1, (char *)arg2, NULL };
	ssize_t n;
	int fd;

	snprintf(plain_path, sizeof(plain_path), TESTS "%s.plain", name);
	snprintf(kml_path, sizeof(kml_path), TESTS "%s.kml", name);
	ASSERT_EQ(0, kml_run(&plain, plain_argv, in, CHILD_STDERR_INHERITED, NULL));
	ASSERT_EQ(0, plain.status) TH_LOG("%s at ring 3:\n%s", name, plain.output);
	/* kml stats reports on stderr; keep it apart from the program's output */
	ASSERT_EQ(0, kml_run(&kml, stats_argv, in, CHILD_STDERR_TO_FILE, "/tmp/kml-stats.err"));
	fd = open("/tmp/kml-stats.err", O_RDONLY);
	ASSERT_LE(0, fd);
	n = read(fd, err, sizeof(err) - 1);
	err[n > 0 ? n : 0] = '\0';
	close(fd);
	EXPECT_EQ(0, kml.status) TH_LOG("kml stats said:\n%s", err);
	EXPECT_STREQ(plain.output, kml.output);
	EXPECT_NE(NULL, strstr(err, "100.00% direct")) TH_LOG("%s", err);
}

TEST_F(counters, wordcount_from_our_toolchain_is_all_direct)
{
	expect_all_direct(_metadata, "wordcount", "--block", "16", "/kml/tests.list");
}

TEST_F(counters, kvstore_from_our_toolchain_is_all_direct)
{
	expect_all_direct(_metadata, "kvstore", "--capacity", "64",
			  TESTS "kvstore-session.in");
}

TEST_HARNESS_MAIN
