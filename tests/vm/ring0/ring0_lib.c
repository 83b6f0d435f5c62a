// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the ring-0 kselftests; see ring0.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ring0.h"

/* Children started and not yet reaped, so teardown can clean up after a failed assert. */
#define MAX_LIVE 64
static pid_t live[MAX_LIVE];

static void track(pid_t pid)
{
	int i;

	for (i = 0; i < MAX_LIVE; i++) {
		if (!live[i]) {
			live[i] = pid;
			return;
		}
	}
}

static void untrack(pid_t pid)
{
	int i;

	for (i = 0; i < MAX_LIVE; i++)
		if (live[i] == pid)
			live[i] = 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *kml_ko_path(void)
{
	const char *env = getenv("KML_KO");

	return env && *env ? env : "/kml/kml.ko";
}

const char *kml_module_params(void)
{
	const char *params = getenv("KML_MODULE_PARAMS");

	return params ? params : "";
}

int kml_load(void)
{
	int fd = open(kml_ko_path(), O_RDONLY | O_CLOEXEC);
	int ret, err;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, kml_module_params(), 0);
	err = errno;
	close(fd);
	return ret ? -err : 0;
}

int kml_unload(void)
{
	return syscall(SYS_delete_module, "kml", O_NONBLOCK) ? -errno : 0;
}

bool kml_listed(void)
{
	char line[256];
	bool found = false;
	FILE *f = fopen("/proc/modules", "re");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, "kml ", 4);
	fclose(f);
	return found;
}

long long kml_counter(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	char *end;
	long long v;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -ENODATA;
	buf[n] = '\0';
	v = strtoll(buf, &end, 10);
	if (end == buf)
		return -EINVAL;
	return v;
}

bool ring0_required(void)
{
	const char *env = getenv("KML_REQUIRE_RING0");

	return env && *env && strcmp(env, "0");
}

const char *payload_path(const char *name)
{
	static char path[PATH_MAX + NAME_MAX + 2];
	char self[PATH_MAX];
	ssize_t n;
	char *slash;

	if (name[0] == '/')
		return name;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return name;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	snprintf(path, sizeof(path), "%s/%s", self, name);
	return path;
}

bool payload_exists(const char *name)
{
	return access(payload_path(name), X_OK) == 0;
}

static void describe_errno(char *buf, size_t size, const char *what, int err)
{
	snprintf(buf, size, "%s: %s", what, strerror(err));
}

void ring0_env_setup(struct ring0_env *env)
{
	struct child c;
	const char *module;
	char loaded[128];

	memset(env, 0, sizeof(*env));
	env->load_result = kml_load();
	env->loaded_by_us = env->load_result == 0;
	if (env->load_result == 0 || env->load_result == -EEXIST)
		snprintf(loaded, sizeof(loaded), "kml.ko is loaded");
	else
		snprintf(loaded, sizeof(loaded), "kml.ko not loaded (%s: %s)",
			 kml_ko_path(), strerror(-env->load_result));
	module = loaded;

	if (!payload_exists(PAYLOAD_RING0)) {
		snprintf(env->why, sizeof(env->why),
			 "%s is missing: marked payloads were not built (kml mark); %s",
			 PAYLOAD_RING0, module);
		return;
	}
	if (payload_run(&c, PAYLOAD_RING0, (const char *[]){ "cpl", NULL })) {
		if (c.exec_errno) {
			char what[64];

			describe_errno(what, sizeof(what), "exec of a marked payload failed",
				       c.exec_errno);
			snprintf(env->why, sizeof(env->why), "%s; %s", what, module);
		} else {
			snprintf(env->why, sizeof(env->why),
				 "the marked cpl probe did not finish; %s", module);
		}
		return;
	}
	if (child_exit(&c) == 0 && !strcmp(c.output, "cpl=0\n")) {
		env->ring0 = true;
		return;
	}
	if (child_exit(&c) != 0 || strcmp(c.output, "cpl=3\n")) {
		/* It started and went wrong: a broken kernel, not a missing one. */
		env->broken = true;
		snprintf(env->why, sizeof(env->why),
			 "the marked cpl probe started but failed: status %d, output '%.*s'; %s",
			 child_exit(&c), (int)strcspn(c.output, "\n"), c.output, module);
		return;
	}
	snprintf(env->why, sizeof(env->why),
		 "marked payloads run at CPL 3 (probe said '%.*s'): no kernel support yet; %s",
		 (int)strcspn(c.output, "\n"), c.output, module);
}

int ring0_env_teardown(struct ring0_env *env)
{
	int i, ret;

	for (i = 0; i < MAX_LIVE; i++) {
		if (live[i]) {
			kill(live[i], SIGKILL);
			waitpid(live[i], NULL, 0);
			live[i] = 0;
		}
	}
	if (!env->loaded_by_us)
		return 0;
	ret = kml_unload_wait(5000);
	env->loaded_by_us = ret != 0;
	return ret;
}

int kml_unload_wait(int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	int ret;

	/* A task that just exited may hold the module a moment longer. */
	for (;;) {
		ret = kml_unload();
		if ((ret != -EBUSY && ret != -EAGAIN) || now_ms() > deadline)
			return ret;
		usleep(20 * 1000);
	}
}

int child_spawn(struct child *c, const char *name, const char *const args[],
		const struct spawn_opts *opts)
{
	struct spawn_opts o = opts ? *opts : SPAWN_DEFAULTS;
	const char *path = payload_path(name);
	const char *argv[32];
	int out[2], in[2] = { -1, -1 }, report[2];
	int i, err = 0;
	ssize_t n;

	memset(c, 0, sizeof(*c));
	c->out = c->in = -1;
	argv[0] = path;
	for (i = 0; args && args[i] && i < 30; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;

	if (pipe2(out, O_CLOEXEC) || pipe2(report, O_CLOEXEC))
		return -errno;
	if (o.keep_stdin && pipe2(in, O_CLOEXEC))
		return -errno;
	fflush(stdout);
	fflush(stderr);
	c->pid = fork();
	if (c->pid < 0)
		return -errno;
	if (c->pid == 0) {
		int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(o.keep_stdin ? in[0] : devnull, STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		dup2(out[1], STDERR_FILENO);
		if (o.cpu >= 0 && pin_self(o.cpu))
			err = errno;
		if (!err && o.uid) {
			if (setgroups(0, NULL) || setgid((gid_t)o.uid) || setuid(o.uid))
				err = errno;
		}
		if (!err) {
			execv(path, (char *const *)argv);
			err = errno;
		}
		n = write(report[1], &err, sizeof(err));
		(void)n;
		_exit(127);
	}
	track(c->pid);
	close(out[1]);
	close(report[1]);
	if (o.keep_stdin) {
		close(in[0]);
		c->in = in[1];
	}
	c->out = out[0];
	/* EOF on the report pipe means exec succeeded (it was O_CLOEXEC). */
	do
		n = read(report[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(report[0]);
	if (n == sizeof(err)) {
		c->exec_errno = err;
		child_finish(c, PAYLOAD_TIMEOUT_MS);
		return -err;
	}
	return 0;
}

/* Reads what is available within timeout_ms: >0 bytes, 0 at EOF, -ETIMEDOUT. */
static int read_some(struct child *c, long long deadline)
{
	struct pollfd pfd = { .fd = c->out, .events = POLLIN };
	long long left = deadline - now_ms();
	ssize_t n;
	int ret;

	if (c->out < 0)
		return 0;
	if (left < 0)
		left = 0;
	ret = poll(&pfd, 1, (int)left);
	if (ret < 0 && errno == EINTR)
		return -EINTR;
	if (ret == 0)
		return -ETIMEDOUT;
	if (c->len >= sizeof(c->output) - 1) {
		char sink[4096];

		n = read(c->out, sink, sizeof(sink));
	} else {
		n = read(c->out, c->output + c->len, sizeof(c->output) - 1 - c->len);
		if (n > 0) {
			c->len += n;
			c->output[c->len] = '\0';
		}
	}
	if (n <= 0) {
		close(c->out);
		c->out = -1;
		return 0;
	}
	return (int)n;
}

bool child_said(const struct child *c, const char *line)
{
	size_t len = strlen(line);
	const char *p = c->output;

	while ((p = strstr(p, line))) {
		if ((p == c->output || p[-1] == '\n') && p[len] == '\n')
			return true;
		p++;
	}
	return false;
}

int child_wait_line(struct child *c, const char *line, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	int ret;

	while (!child_said(c, line)) {
		ret = read_some(c, deadline);
		if (ret == -ETIMEDOUT)
			return -ETIMEDOUT;
		if (ret == 0)
			return -EPIPE;
	}
	return 0;
}

int child_finish(struct child *c, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	int ret;

	if (c->in >= 0) {
		close(c->in);
		c->in = -1;
	}
	while (c->out >= 0) {
		ret = read_some(c, deadline);
		if (ret == -ETIMEDOUT) {
			child_kill(c);
			return -ETIMEDOUT;
		}
	}
	while (!c->reaped) {
		pid_t r = waitpid(c->pid, &c->status, WNOHANG);

		if (r == c->pid) {
			c->reaped = true;
			untrack(c->pid);
		} else if (r < 0 && errno != EINTR) {
			return -errno;
		} else if (now_ms() > deadline) {
			child_kill(c);
			return -ETIMEDOUT;
		} else {
			usleep(2000);
		}
	}
	return 0;
}

int child_signal(struct child *c, int sig)
{
	return kill(c->pid, sig) ? -errno : 0;
}

void child_kill(struct child *c)
{
	if (c->in >= 0) {
		close(c->in);
		c->in = -1;
	}
	if (c->out >= 0) {
		close(c->out);
		c->out = -1;
	}
	if (c->pid > 0 && !c->reaped) {
		kill(c->pid, SIGKILL);
		if (waitpid(c->pid, &c->status, 0) == c->pid)
			c->reaped = true;
		untrack(c->pid);
	}
}

int payload_run(struct child *c, const char *name, const char *const args[])
{
	int ret = child_spawn(c, name, args, NULL);

	if (ret)
		return ret;
	return child_finish(c, PAYLOAD_TIMEOUT_MS);
}

int child_exit(const struct child *c)
{
	if (!c->reaped)
		return -1;
	if (WIFEXITED(c->status))
		return WEXITSTATUS(c->status);
	if (WIFSIGNALED(c->status))
		return 128 + WTERMSIG(c->status);
	return -1;
}

int pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

int some_cpu(void)
{
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 0;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &set))
			return cpu;
	return 0;
}

long long cpu_ticks(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long utime, stime;
	int fd, i;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* Fields after the command name, which ends at the last ')'. */
	p = strrchr(buf, ')');
	if (!p)
		return -1;
	p += 2;
	/* state is field 3; utime and stime are fields 14 and 15. */
	for (i = 3; i < 14 && p; i++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p || sscanf(p, "%llu %llu", &utime, &stime) != 2)
		return -1;
	return (long long)(utime + stime);
}

long long kernel_tainted(void)
{
	return kml_counter("/proc/sys/kernel/tainted");
}
