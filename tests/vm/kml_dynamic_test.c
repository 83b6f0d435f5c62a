// SPDX-License-Identifier: GPL-2.0
/*
 * Debian's own dynamically linked servers at CPL 0 (docs/dynamic.md):
 * redis-server and nginx, unmodified, started by `kml run --ring0` through
 * kml's rewritten and signed ld.so and libc, every other file they map
 * approved by digest in a signed list (scripts/dynroot.sh builds all of it
 * into the image). Each server does its whole job at CPL 0 exactly as at
 * CPL 3, its system calls go the direct way, and what is not approved is
 * refused with its reason while the server keeps running.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kml_vmtest.h"

#define KML_DIR "/usr/lib/kml"
#define SERVERS_LIST KML_DIR "/servers.list"
#define SYSFS "/sys/kernel/kml/"
#define REDIS "/usr/bin/redis-server"
#define REDIS_CLI "/usr/bin/redis-cli"
#define NGINX "/usr/sbin/nginx"
#define WORK "/tmp/kml-dynamic"
#define PATIENCE_S 60 /* a server's start under TCG and the debug kernel */

/* The first session: every reply as redis-cli prints it to a pipe. */
static const char session_in[] =
	"SET greeting hello\n"
	"GET greeting\n"
	"INCR counter\n"
	"INCRBY counter 41\n"
	"LPUSH list a b c\n"
	"LRANGE list 0 -1\n"
	"EXPIRE greeting 1000\n"
	"PERSIST greeting\n"
	"TTL greeting\n"
	"HSET h f1 v1 f2 v2\n"
	"HGETALL h\n"
	"GET missing\n"
	"DBSIZE\n"
	"SAVE\n";
static const char session_out[] =
	"OK\nhello\n1\n42\n3\nc\nb\na\n1\n1\n-1\n2\nf1\nv1\nf2\nv2\n\n4\nOK\n";

/* After SHUTDOWN SAVE and a restart on the same directory. */
static const char reload_in[] =
	"GET greeting\nGET counter\nLRANGE list 0 -1\nHGET h f2\nDBSIZE\n"
	"GET pipelined:99\n";
static const char reload_out[] = "hello\n42\nc\nb\na\nv2\n104\nvalue-99\n";

/* `sh -c CMD` with its stdout and stderr in @r: its exit status. */
static int sh(struct child *r, const char *fmt, ...)
{
	char cmd[1024];
	char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (kml_run(r, argv, NULL, CHILD_STDERR_WITH_OUTPUT, NULL))
		return -1;
	return WIFEXITED(r->status) ? WEXITSTATUS(r->status) : 128 + WTERMSIG(r->status);
}

/* Starts `kml run [--ring0] ARGV...` with output into @log: its pid. */
static pid_t start(bool ring0, const char *log, char *const argv[])
{
	char *args[32] = { "/usr/bin/kml", "run" };
	int n = 2, fd;
	pid_t pid;

	if (ring0)
		args[n++] = "--ring0";
	while (*argv && n < 31)
		args[n++] = *argv++;
	args[n] = NULL;
	pid = fork();
	if (pid == 0) {
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			_exit(126);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		close(fd);
		execv(args[0], args);
		_exit(127);
	}
	return pid;
}

/* Runs @check (a shell command) until it succeeds: 0, or -1 in time. */
static int wait_until(const char *check)
{
	struct child r;
	int i;

	for (i = 0; i < PATIENCE_S * 10; i++) {
		if (sh(&r, "%s", check) == 0)
			return 0;
		usleep(100000);
	}
	return -1;
}

/* waitpid with a deadline: the exit status, or -1 (and a kill). */
static int wait_exit(pid_t pid)
{
	int status, i;

	for (i = 0; i < PATIENCE_S * 10; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		usleep(100000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

/*
 * A ring-0 program's counters in /sys/kernel/kml/programs, by pid, and
 * how many of its slow calls the vDSO made: when the clocksource cannot
 * be read from user space (under TCG the TSC is sometimes refused), the
 * vDSO's clock_gettime() falls back to a `syscall` of its own, kernel
 * code that no rewriter reaches (docs/dynamic.md).
 */
struct counts {
	long long direct, bypass, slow, vdso;
	unsigned long vdso_lo, vdso_hi; /* the [vdso] mapping, from start() */
};

/* Where the running @pid's vDSO is: 0 or -1. */
static int vdso_range(pid_t pid, struct counts *c)
{
	char path[64], line[256];
	FILE *f;

	c->vdso_lo = c->vdso_hi = 0;
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "[vdso]") &&
		    sscanf(line, "%lx-%lx", &c->vdso_lo, &c->vdso_hi) == 2)
			break;
	fclose(f);
	return c->vdso_hi ? 0 : -1;
}

static int program_counts(pid_t pid, struct counts *c)
{
	static char text[65536];
	char key[32], *line, *sites, *end;
	unsigned long addr;
	long long n;

	if (kml_read_text(SYSFS "programs", text, sizeof(text)) < 0)
		return -1;
	snprintf(key, sizeof(key), " pid=%d ", pid);
	line = strstr(text, key);
	if (!line)
		return -1;
	end = strchr(line, '\n');
	if (end)
		*end = '\0';
	if (sscanf(strstr(line, "direct="), "direct=%lld bypass=%lld slow=%lld",
		   &c->direct, &c->bypass, &c->slow) != 3)
		return -1;
	c->vdso = 0;
	sites = strstr(line, " sites=");
	for (sites = sites ? sites + 7 : NULL;
	     sites && sscanf(sites, "%lx:%lld", &addr, &n) == 2;
	     sites = strchr(sites, ','), sites = sites ? sites + 1 : NULL)
		if (addr >= c->vdso_lo && addr < c->vdso_hi)
			c->vdso += n;
	return 0;
}

/*
 * Whether at least 99% of the calls the program's own code made (all but
 * the vDSO's fallbacks) took the direct path.
 */
static bool mostly_direct(const struct counts *c)
{
	long long own = c->direct + c->bypass + c->slow - c->vdso;

	return own > 0 && (c->direct + c->bypass) * 100 >= own * 99;
}

#define COUNTS_FMT "direct %lld, bypass %lld, slow %lld (%lld of them in the vDSO)"
#define COUNTS(c) (c).direct, (c).bypass, (c).slow, (c).vdso

FIXTURE(dynamic) {
	bool loaded_here;
	char assurance[32];
	long long allow_unsigned;
};

FIXTURE_SETUP(dynamic)
{
	struct child r;
	int ret = kml_ensure_loaded(&self->loaded_here);

	ASSERT_EQ(0, ret) TH_LOG("kml.ko: %s", strerror(-ret));
	ASSERT_EQ(0, kml_loopback_up());
	/* Debian's files can only be trusted; unsigned code is not run. */
	ASSERT_LE(0, kml_read_text(SYSFS "min_assurance", self->assurance,
				   sizeof(self->assurance)));
	self->allow_unsigned = kml_sysfs_number("allow_unsigned");
	ASSERT_EQ(0, kml_write_text(SYSFS "min_assurance", "trusted", 0));
	ASSERT_EQ(0, kml_write_text(SYSFS "allow_unsigned", "0", 0));
	ASSERT_EQ(0, sh(&r, "kml approve " SERVERS_LIST)) TH_LOG("%s", r.output);
	ASSERT_EQ(0, sh(&r, "rm -rf " WORK " && mkdir -p " WORK));
}

FIXTURE_TEARDOWN(dynamic)
{
	struct child r;

	sh(&r, "pkill -9 -f redis-server; pkill -9 -f nginx; true");
	kml_write_text(SYSFS "allow_unsigned", self->allow_unsigned > 0 ? "1" : "0", 0);
	kml_write_text(SYSFS "min_assurance", self->assurance, 0);
	kml_release(self->loaded_here);
}

/*
 * One redis-server life on @dir, at CPL 0 or 3: start it, wait for PONG,
 * run @in through redis-cli into @out, then SHUTDOWN SAVE. The server's
 * counters (at CPL 0) into @c. 0, or a line saying what failed in @why.
 */
static int redis_life(bool ring0, int port, const char *dir, const char *in,
		      char *out, size_t cap, struct counts *c, char *why)
{
	char portarg[16], log[128], check[128];
	char *argv[] = { REDIS, "--port", portarg, "--dir", (char *)dir,
			 "--save", "", "--appendonly", "no", NULL };
	struct child r;
	long long execs = kml_sysfs_number("ring0_execs");
	pid_t pid;
	int status;

	snprintf(portarg, sizeof(portarg), "%d", port);
	snprintf(log, sizeof(log), "%s/server.log", dir);
	snprintf(check, sizeof(check), REDIS_CLI " -p %d PING | grep -q PONG", port);
	pid = start(ring0, log, argv);
	if (pid < 0 || wait_until(check) || vdso_range(pid, c))
		return sprintf(why, "redis-server (pid %d) did not answer PING", pid), -1;
	if (kml_sysfs_number("ring0_execs") != execs + ring0)
		return sprintf(why, "ring0_execs went from %lld to %lld", execs,
			       kml_sysfs_number("ring0_execs")), -1;
	if (kml_write_text(WORK "/session.in", in, O_CREAT | O_TRUNC) ||
	    sh(&r, REDIS_CLI " -p %d < " WORK "/session.in", port))
		return sprintf(why, "redis-cli failed: %.200s", r.output), -1;
	snprintf(out, cap, "%s", r.output);
	sh(&r, REDIS_CLI " -p %d SHUTDOWN SAVE", port);
	status = wait_exit(pid);
	if (status != 0)
		return sprintf(why, "redis-server ended with status %#x", status), -1;
	if (ring0 && program_counts(pid, c))
		return sprintf(why, "no counters for pid %d", pid), -1;
	return 0;
}

/*
 * A scripted session, a pipelined load (redis-cli --pipe), BGSAVE (the
 * server forks a child that writes the dump), SHUTDOWN SAVE, then a
 * restart that reloads the dump: at CPL 0 byte for byte what it is at
 * CPL 3, with at least 99% of the server's calls on the direct path.
 */
TEST_F_TIMEOUT(dynamic, redis_at_cpl0_answers_its_session_as_at_cpl3, 600)
{
	static char out[16384], why[256];
	struct child r;
	struct counts c = { 0 };
	int ring0, i;

	/* 100 SETs in the protocol itself, for --pipe. */
	FILE *f = fopen(WORK "/pipe.resp", "w");

	ASSERT_NE(NULL, f);
	for (i = 0; i < 100; i++)
		fprintf(f, "*3\r\n$3\r\nSET\r\n$%d\r\npipelined:%d\r\n$%d\r\nvalue-%d\r\n",
			i < 10 ? 11 : 12, i, i < 10 ? 7 : 8, i);
	fclose(f);
	for (ring0 = 0; ring0 <= 1; ring0++) {
		char dir[64], portarg[16], log[128], check[160];
		char *argv[] = { REDIS, "--port", portarg, "--dir", dir,
				 "--save", "", "--appendonly", "no", NULL };
		long long execs = kml_sysfs_number("ring0_execs");
		int p = 6380 + ring0;
		pid_t pid;

		snprintf(dir, sizeof(dir), WORK "/redis%d", ring0);
		ASSERT_EQ(0, mkdir(dir, 0755));
		/* First life: the session, then --pipe and BGSAVE. */
		snprintf(portarg, sizeof(portarg), "%d", p);
		snprintf(log, sizeof(log), "%s/server.log", dir);
		snprintf(check, sizeof(check), REDIS_CLI " -p %d PING | grep -q PONG", p);
		pid = start(ring0, log, argv);
		ASSERT_EQ(0, wait_until(check)) TH_LOG("ring %d: no PONG", ring0 ? 0 : 3);
		ASSERT_EQ(0, vdso_range(pid, &c));
		ASSERT_EQ(execs + ring0, kml_sysfs_number("ring0_execs"));
		ASSERT_EQ(0, kml_write_text(WORK "/session.in", session_in, O_CREAT | O_TRUNC));
		ASSERT_EQ(0, sh(&r, REDIS_CLI " -p %d < " WORK "/session.in", p));
		EXPECT_STREQ(session_out, r.output);
		ASSERT_EQ(0, sh(&r, REDIS_CLI " -p %d --pipe < " WORK "/pipe.resp", p));
		EXPECT_NE(NULL, strstr(r.output, "errors: 0, replies: 100")) TH_LOG("%s", r.output);
		ASSERT_EQ(0, sh(&r, REDIS_CLI " -p %d BGSAVE", p));
		EXPECT_STREQ("Background saving started\n", r.output);
		snprintf(check, sizeof(check),
			 REDIS_CLI " -p %d INFO persistence | grep -q 'rdb_bgsave_in_progress:0'", p);
		ASSERT_EQ(0, wait_until(check));
		ASSERT_EQ(0, sh(&r, REDIS_CLI " -p %d INFO persistence | grep -q 'rdb_last_bgsave_status:ok'", p));
		ASSERT_EQ(0, sh(&r, "grep -q 'Background saving terminated with success' %s", log));
		sh(&r, REDIS_CLI " -p %d SHUTDOWN SAVE", p);
		ASSERT_EQ(0, wait_exit(pid));
		if (ring0) {
			ASSERT_EQ(0, program_counts(pid, &c));
			EXPECT_TRUE(mostly_direct(&c));
			TH_LOG("redis-server, first life: " COUNTS_FMT, COUNTS(c));
		}
		/* Second life: the dump reloaded. */
		ASSERT_EQ(0, redis_life(ring0, p, dir, reload_in, out, sizeof(out),
					&c, why)) TH_LOG("%s", why);
		EXPECT_STREQ(reload_out, out);
		if (ring0)
			EXPECT_TRUE(mostly_direct(&c)) TH_LOG(COUNTS_FMT, COUNTS(c));
	}
}

/* redis-benchmark against a CPL-0 server: every request answered. */
TEST_F_TIMEOUT(dynamic, redis_benchmark_against_cpl0_server_completes, 600)
{
	char *argv[] = { REDIS, "--port", "6390", "--dir", WORK, "--save", "",
			 "--appendonly", "no", NULL };
	struct child r;
	struct counts c = { 0 };
	pid_t pid = start(true, WORK "/bench.log", argv);

	ASSERT_EQ(0, wait_until(REDIS_CLI " -p 6390 PING | grep -q PONG"));
	ASSERT_EQ(0, vdso_range(pid, &c));
	/* Its progress lines end in \r: only the last of each counts. */
	ASSERT_EQ(0, sh(&r, "/usr/bin/redis-benchmark -p 6390 -q -n 10000 -t set,get > "
			WORK "/bench.out"));
	ASSERT_EQ(0, sh(&r, "tr '\\r' '\\n' < " WORK "/bench.out | "
			"grep -E '^ *(SET|GET): [0-9.]+ requests per second'"));
	EXPECT_NE(NULL, strstr(r.output, "SET: ")) TH_LOG("%s", r.output);
	EXPECT_NE(NULL, strstr(r.output, "GET: ")) TH_LOG("%s", r.output);
	/* One line a test, each with its rate: nothing failed or hung. */
	ASSERT_EQ(0, sh(&r, "/usr/bin/redis-benchmark -p 6390 -q -n 2000 -t set,get -P 16 > "
			WORK "/bench.out"));
	EXPECT_EQ(0, sh(&r, "tr '\\r' '\\n' < " WORK "/bench.out | "
			"grep -cE '^ *(SET|GET): [0-9.]+ requests per second' | grep -qx 2"));
	ASSERT_EQ(0, program_counts(pid, &c));
	EXPECT_TRUE(mostly_direct(&c));
	TH_LOG("redis-server under redis-benchmark: " COUNTS_FMT, COUNTS(c));
	sh(&r, REDIS_CLI " -p 6390 SHUTDOWN NOSAVE");
	EXPECT_EQ(0, wait_exit(pid));
}

/*
 * What is not approved is refused at CPL 0, and the server goes on: an
 * LD_PRELOAD of a library outside the list (ld.so says it cannot map it
 * and ignores it), and a MODULE LOAD of the same file (an error reply).
 */
TEST_F_TIMEOUT(dynamic, unapproved_code_is_refused_and_the_server_keeps_running, 300)
{
	char *argv[] = { REDIS, "--port", "6391", "--dir", WORK, "--save", "",
			 "--appendonly", "no", "--enable-module-command", "yes",
			 NULL };
	struct child r;
	long long before = kml_refused("unapproved-mapping");
	pid_t pid;

	/* An approved library with one byte more: not the approved bytes. */
	ASSERT_EQ(0, sh(&r, "cp /lib/x86_64-linux-gnu/liblzf.so.1 " WORK
			"/unapproved.so && echo >> " WORK "/unapproved.so && chmod 755 "
			WORK "/unapproved.so"));
	setenv("LD_PRELOAD", WORK "/unapproved.so", 1);
	pid = start(true, WORK "/refused.log", argv);
	unsetenv("LD_PRELOAD");
	ASSERT_EQ(0, wait_until(REDIS_CLI " -p 6391 PING | grep -q PONG"));
	EXPECT_EQ(0, sh(&r, "grep -q 'cannot be preloaded' " WORK "/refused.log"));
	ASSERT_LE(0, before);
	EXPECT_LT(before, kml_refused("unapproved-mapping"));
	before = kml_refused("unapproved-mapping");
	sh(&r, REDIS_CLI " -p 6391 MODULE LOAD " WORK "/unapproved.so");
	EXPECT_NE(NULL, strstr(r.output, "ERR Error loading the extension")) TH_LOG("%s", r.output);
	EXPECT_EQ(0, sh(&r, "grep -q 'unapproved.so failed to load: .*failed to map segment' "
			WORK "/refused.log"));
	EXPECT_LT(before, kml_refused("unapproved-mapping"));
	ASSERT_EQ(0, sh(&r, REDIS_CLI " -p 6391 PING"));
	EXPECT_STREQ("PONG\n", r.output);
	sh(&r, REDIS_CLI " -p 6391 SHUTDOWN NOSAVE");
	EXPECT_EQ(0, wait_exit(pid));
}

/*
 * A library's signature approves mapping it, never starting it: root's
 * exec of a marked library (an entry point, no PT_INTERP) signed with the
 * library role by an approved key is refused as bad-manifest, while kml's
 * libc, signed the same way, maps (every test above).
 */
TEST_F(dynamic, a_library_signature_does_not_start_a_program)
{
	char *argv[] = { KML_DIR "/libkmlprobe.so", NULL };
	long long before = kml_refused("bad-manifest");
	long long execs = kml_sysfs_number("ring0_execs");
	struct child r;

	ASSERT_EQ(0, sh(&r, "kml inspect " KML_DIR "/libkmlprobe.so | grep -q 'role: *library'"))
		TH_LOG("%s", r.output);
	ASSERT_EQ(0, kml_run(&r, argv, NULL, CHILD_STDERR_WITH_OUTPUT, NULL));
	EXPECT_EQ(127, WEXITSTATUS(r.status)) TH_LOG("the exec went through");
	EXPECT_EQ(before + 1, kml_refused("bad-manifest"));
	EXPECT_EQ(execs, kml_sysfs_number("ring0_execs"));
}

#define NGINX_DIR WORK "/nginx"
#define NGINX_ARGS "-p " NGINX_DIR "/ -c " NGINX_DIR "/nginx.conf -e " NGINX_DIR "/error.log"

static const char nginx_conf[] =
	"daemon off;\n"
	"master_process on;\n"
	"worker_processes 2;\n"
	"pid " NGINX_DIR "/nginx.pid;\n"
	"error_log " NGINX_DIR "/error.log notice;\n"
	"events { worker_connections 256; }\n"
	"http {\n"
	"  include /etc/nginx/mime.types;\n"
	"  access_log off;\n"
	"  client_body_temp_path " NGINX_DIR "/body;\n"
	"  proxy_temp_path " NGINX_DIR "/proxy;\n"
	"  fastcgi_temp_path " NGINX_DIR "/fastcgi;\n"
	"  uwsgi_temp_path " NGINX_DIR "/uwsgi;\n"
	"  scgi_temp_path " NGINX_DIR "/scgi;\n"
	"  server { listen 127.0.0.1:8080; root " NGINX_DIR "/www; }\n"
	"}\n";

/*
 * nginx at CPL 0 (a master and two workers it forks) serves files of
 * several sizes byte-identically, 50 concurrent clients (ab -c 50), a
 * configuration reload (new workers) and a graceful stop.
 */
TEST_F_TIMEOUT(dynamic, nginx_at_cpl0_serves_reloads_and_stops, 600)
{
	static const int sizes[] = { 0, 1, 4095, 65536, (1 << 20) + 7 };
	char *argv[] = { NGINX, "-p", NGINX_DIR "/", "-c", NGINX_DIR "/nginx.conf",
			 "-e", NGINX_DIR "/error.log", NULL };
	struct child r;
	struct counts c = { 0 };
	unsigned int i;
	pid_t pid;

	ASSERT_EQ(0, sh(&r, "mkdir -p " NGINX_DIR "/www && echo '<h1>kml</h1>' > "
			NGINX_DIR "/www/index.html"));
	ASSERT_EQ(0, kml_write_text(NGINX_DIR "/nginx.conf", nginx_conf, O_CREAT | O_TRUNC));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		ASSERT_EQ(0, sh(&r, "head -c %d /dev/urandom > " NGINX_DIR "/www/f%u.bin",
				sizes[i], i));
	pid = start(true, NGINX_DIR "/master.log", argv);
	ASSERT_EQ(0, wait_until("wget -q -O /dev/null http://127.0.0.1:8080/"))
		TH_LOG("nginx did not answer");
	ASSERT_EQ(0, vdso_range(pid, &c));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		EXPECT_EQ(0, sh(&r, "wget -q -O " NGINX_DIR "/got http://127.0.0.1:8080/f%u.bin && cmp "
				NGINX_DIR "/got " NGINX_DIR "/www/f%u.bin", i, i)) TH_LOG("f%u: %s", i, r.output);
	ASSERT_EQ(0, sh(&r, "/usr/bin/ab -q -n 500 -c 50 http://127.0.0.1:8080/index.html"))
		TH_LOG("%s", r.output);
	EXPECT_NE(NULL, strstr(r.output, "Complete requests:      500")) TH_LOG("%s", r.output);
	EXPECT_NE(NULL, strstr(r.output, "Failed requests:        0")) TH_LOG("%s", r.output);
	/* A reload: the master (at CPL 0) forks new workers. */
	ASSERT_EQ(0, sh(&r, "kml run " NGINX " -s reload " NGINX_ARGS)) TH_LOG("%s", r.output);
	ASSERT_EQ(0, wait_until("grep -q 'reconfiguring' " NGINX_DIR "/error.log"));
	/* Two workers at the start, two more after the reload. */
	ASSERT_EQ(0, wait_until("test $(grep -c 'start worker process' " NGINX_DIR
				"/error.log) -ge 4"));
	EXPECT_EQ(0, sh(&r, "wget -q -O " NGINX_DIR "/got http://127.0.0.1:8080/f4.bin && cmp "
			NGINX_DIR "/got " NGINX_DIR "/www/f4.bin"));
	ASSERT_EQ(0, program_counts(pid, &c));
	EXPECT_TRUE(mostly_direct(&c));
	TH_LOG("nginx, master and workers: " COUNTS_FMT, COUNTS(c));
	ASSERT_EQ(0, sh(&r, "kml run " NGINX " -s quit " NGINX_ARGS)) TH_LOG("%s", r.output);
	EXPECT_EQ(0, wait_exit(pid));
}

TEST_HARNESS_MAIN
