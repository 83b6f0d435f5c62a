// SPDX-License-Identifier: GPL-2.0
/* The in-VM tests' helper library; see kml_vmtest.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kml_vmtest.h"

void kml_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Prints "# what: strerror(err)" and returns -err. */
static __printf(2, 3) int failed(int err, const char *fmt, ...)
{
	char what[PATH_MAX + 128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	kml_diag("%s: %s", what, strerror(err));
	return -err;
}

long long kml_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --- kml.ko ------------------------------------------------------------ */

const char *kml_ko_path(void)
{
	const char *env = getenv("KML_KO");

	return env && *env ? env : KML_KO_DEFAULT;
}

const char *kml_module_params(void)
{
	const char *params = getenv("KML_MODULE_PARAMS");

	return params ? params : "";
}

int module_load(const char *path, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret, err;

	if (fd < 0)
		return failed(errno, "open %s", path);
	ret = syscall(SYS_finit_module, fd, params, 0);
	err = errno;
	close(fd);
	if (!ret)
		return 0;
	if (err == EEXIST)
		return -EEXIST;
	return failed(err, "finit_module(%s, \"%s\")", path, params);
}

int kml_load_with(const char *params)
{
	return module_load(kml_ko_path(), params);
}

int kml_load(void)
{
	return kml_load_with(kml_module_params());
}

/* delete_module without a diagnostic, for the retry loop. */
static int unload_quietly(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

static bool unload_is_failure(int ret)
{
	return ret && ret != -ENOENT;
}

int kml_unload(void)
{
	int ret = unload_quietly("kml");

	if (unload_is_failure(ret))
		failed(-ret, "kml.ko: delete_module(kml, O_NONBLOCK)");
	return ret;
}

int module_unload_wait(const char *name, int timeout_ms)
{
	long long deadline = kml_now_ms() + timeout_ms;
	int ret;

	/* A task that just exited may hold the module a moment longer. */
	for (;;) {
		ret = unload_quietly(name);
		if ((ret != -EBUSY && ret != -EAGAIN) || kml_now_ms() > deadline)
			break;
		usleep(20 * 1000);
	}
	if (unload_is_failure(ret))
		failed(-ret, "delete_module(%s, O_NONBLOCK), for %d ms", name, timeout_ms);
	return ret;
}

int kml_unload_wait(int timeout_ms)
{
	return module_unload_wait("kml", timeout_ms);
}

bool kml_strict_smep_booted(void)
{
	char cmdline[1024];

	return kml_read_text("/proc/cmdline", cmdline, sizeof(cmdline)) > 0 &&
	       strstr(cmdline, "kml_strict_smep");
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

int kml_ensure_loaded(bool *loaded_here)
{
	int ret = kml_load();

	*loaded_here = ret == 0;
	return ret == -EEXIST ? 0 : ret;
}

int kml_release(bool loaded_here)
{
	return loaded_here ? kml_unload_wait(5000) : 0;
}

/* --- small files ----------------------------------------------------------- */

ssize_t kml_read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t n = 0;
	int err;

	if (fd < 0)
		return failed(errno, "open %s", path);
	while (len < size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	err = errno;
	close(fd);
	buf[len] = '\0';
	if (n < 0)
		return failed(err, "read %s", path);
	return (ssize_t)len;
}

int kml_write_text(const char *path, const char *text, int flags)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | flags, 0644);
	size_t len = strlen(text);
	ssize_t n;
	int err;

	if (fd < 0)
		return failed(errno, "open %s for writing", path);
	n = write(fd, text, len);
	err = n < 0 ? errno : EIO;
	close(fd);
	if (n == (ssize_t)len)
		return 0;
	return failed(err, "write \"%.*s\" to %s", (int)strcspn(text, "\n"), text, path);
}

long long kml_read_number(const char *path)
{
	char buf[64], *end;
	ssize_t n = kml_read_text(path, buf, sizeof(buf));
	long long v;

	if (n < 0)
		return n;
	v = strtoll(buf, &end, 10);
	if (end == buf)
		return failed(n ? EINVAL : ENODATA, "%s holds no number ('%.*s')", path,
			      (int)strcspn(buf, "\n"), buf);
	return v;
}

static void sysfs_path(char *path, size_t size, const char *name)
{
	snprintf(path, size, KML_SYSFS "/%s", name);
}

long long kml_sysfs_number(const char *name)
{
	char path[128];

	sysfs_path(path, sizeof(path), name);
	return kml_read_number(path);
}

ssize_t kml_sysfs_read(const char *name, char *buf, size_t size)
{
	char path[128];

	sysfs_path(path, sizeof(path), name);
	return kml_read_text(path, buf, size);
}

int kml_sysfs_write(const char *name, const char *value)
{
	char path[128];

	sysfs_path(path, sizeof(path), name);
	return kml_write_text(path, value, 0);
}

long long kml_refused(const char *reason)
{
	static char text[8192];
	char name[64];
	const char *line;
	long long count;
	ssize_t n = kml_sysfs_read("refused", text, sizeof(text));

	if (n < 0)
		return n;
	for (line = text; line; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		if (sscanf(line, "%63s %lld", name, &count) == 2 && !strcmp(name, reason))
			return count;
	return failed(ENOENT, "%s/refused lists no reason '%s'", KML_SYSFS, reason);
}

long long kernel_tainted(void)
{
	return kml_read_number("/proc/sys/kernel/tainted");
}

int kml_loopback_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int ret = 0;

	if (fd < 0)
		return failed(errno, "socket for the loopback interface");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		ret = failed(errno, "SIOCGIFFLAGS lo");
	} else {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr))
			ret = failed(errno, "SIOCSIFFLAGS lo up");
	}
	close(fd);
	return ret;
}

/* --- programs ------------------------------------------------------------ */

/* Children started and not yet reaped, so a teardown can clean up after a failed assert. */
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

void children_kill_all(void)
{
	int i;

	for (i = 0; i < MAX_LIVE; i++) {
		if (live[i]) {
			kill(live[i], SIGKILL);
			waitpid(live[i], NULL, 0);
			live[i] = 0;
		}
	}
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

/* In the forked child: stdin, stdout and stderr as @o says; 0 or an errno. */
static int redirect(const struct spawn_opts *o, int stdin_pipe, int out)
{
	int fd;

	if (o->keep_stdin) {
		fd = stdin_pipe;
	} else {
		fd = open(o->stdin_path ? o->stdin_path : "/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return errno;
	}
	if (dup2(fd, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0)
		return errno;
	switch (o->stderr_to) {
	case CHILD_STDERR_WITH_OUTPUT:
		if (dup2(out, STDERR_FILENO) < 0)
			return errno;
		break;
	case CHILD_STDERR_INHERITED:
		break;
	case CHILD_STDERR_TO_FILE:
		fd = open(o->stderr_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0 || dup2(fd, STDERR_FILENO) < 0)
			return errno;
		break;
	}
	return 0;
}

int child_spawn_argv(struct child *c, char *const argv[], const struct spawn_opts *opts)
{
	struct spawn_opts o = opts ? *opts : SPAWN_DEFAULTS;
	int out[2], in[2] = { -1, -1 }, report[2];
	int err = 0;
	ssize_t n;

	memset(c, 0, sizeof(*c));
	c->out = -1;
	c->in = -1;
	if (pipe2(out, O_CLOEXEC) || pipe2(report, O_CLOEXEC))
		return failed(errno, "pipe for %s", argv[0]);
	if (o.keep_stdin && pipe2(in, O_CLOEXEC))
		return failed(errno, "pipe for %s", argv[0]);
	fflush(stdout);
	fflush(stderr);
	c->pid = fork();
	if (c->pid < 0)
		return failed(errno, "fork for %s", argv[0]);
	if (c->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		err = redirect(&o, in[0], out[1]);
		if (!err && o.cpu >= 0 && pin_self(o.cpu))
			err = errno;
		if (!err && o.uid) {
			if (setgroups(0, NULL) || setgid((gid_t)o.uid) || setuid(o.uid))
				err = errno;
		}
		if (!err) {
			execv(argv[0], argv);
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
		return failed(err, "exec %s", argv[0]);
	}
	return 0;
}

int child_spawn(struct child *c, const char *name, const char *const args[],
		const struct spawn_opts *opts)
{
	const char *argv[32];
	int i;

	argv[0] = payload_path(name);
	for (i = 0; args && args[i] && i < 30; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	return child_spawn_argv(c, (char *const *)argv, opts);
}

/* A deadline @timeout_ms from now; none (LLONG_MAX) if it is negative. */
static long long deadline_in(int timeout_ms)
{
	return timeout_ms < 0 ? LLONG_MAX : kml_now_ms() + timeout_ms;
}

/* Reads what is available before @deadline: >0 bytes, 0 at EOF, -ETIMEDOUT. */
static int read_some(struct child *c, long long deadline)
{
	struct pollfd pfd = { .fd = c->out, .events = POLLIN };
	long long left = deadline == LLONG_MAX ? -1 : deadline - kml_now_ms();
	ssize_t n;
	int ret;

	if (c->out < 0)
		return 0;
	if (deadline != LLONG_MAX && left < 0)
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
	long long deadline = deadline_in(timeout_ms);
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
	long long deadline = deadline_in(timeout_ms);
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
			continue;
		}
		if (r < 0 && errno != EINTR)
			return -errno;
		if (kml_now_ms() > deadline) {
			child_kill(c);
			return -ETIMEDOUT;
		}
		usleep(2000);
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

int kml_run(struct child *c, char *const argv[], const char *in,
	    enum child_stderr err, const char *err_path)
{
	struct spawn_opts o = SPAWN_DEFAULTS;
	int ret;

	o.stdin_path = in;
	o.stderr_to = err;
	o.stderr_path = err_path;
	ret = child_spawn_argv(c, argv, &o);
	/* A failed exec is a result: the child exited 127, exec_errno says why. */
	if (ret && c->exec_errno && c->reaped)
		return 0;
	if (ret)
		return ret;
	return child_finish(c, -1);
}

/* --- processes and CPUs -------------------------------------------------- */

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
