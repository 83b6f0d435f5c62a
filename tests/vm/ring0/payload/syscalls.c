// SPDX-License-Identifier: GPL-2.0
/*
 * syscall NAME: exercises one family of system calls and prints what it
 * saw, in words that are the same at CPL 3 and CPL 0. A ring-0 process
 * must get exactly the answers a ring-3 process gets.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "payload.h"

#define CHECK(cond, ...) do { if (!(cond)) fail(__VA_ARGS__); } while (0)

/* write: a short write, a zero-length write and a write to a bad fd. */
static void sc_write(void)
{
	static const char msg[] = "write: hello from the payload\n";

	CHECK(write(STDOUT_FILENO, msg, sizeof(msg) - 1) == sizeof(msg) - 1,
	      "write: %s", strerror(errno));
	CHECK(write(STDOUT_FILENO, msg, 0) == 0, "write: zero length failed");
	errno = 0;
	CHECK(write(-1, msg, 1) == -1 && errno == EBADF, "write: fd -1 gave errno %d", errno);
	say("write: ok");
}

/* read: reads a file the kernel fills in, and fails cleanly on bad input. */
static void sc_read(void)
{
	void *volatile unowned = (void *)8;
	char buf[64] = { 0 };
	int fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	ssize_t n;
	size_t i;

	CHECK(fd >= 0, "read: open /dev/zero: %s", strerror(errno));
	memset(buf, 0x5a, sizeof(buf));
	n = read(fd, buf, sizeof(buf));
	CHECK(n == sizeof(buf), "read: got %ld bytes", (long)n);
	for (i = 0; i < sizeof(buf); i++)
		CHECK(buf[i] == 0, "read: byte %lu is %d", (unsigned long)i, buf[i]);
	errno = 0;
	/* A buffer the process does not own: EFAULT, not a crash. */
	CHECK(read(fd, unowned, 16) == -1 && errno == EFAULT,
	      "read: bad buffer gave errno %d", errno);
	close(fd);
	say("read: ok");
}

/* getpid: agrees with the raw syscall, /proc/self and the parent's view. */
static void sc_getpid(void)
{
	char link[32];
	ssize_t n = readlink("/proc/self", link, sizeof(link) - 1);
	pid_t pid = getpid();

	CHECK(pid == (pid_t)syscall(SYS_getpid), "getpid: libc and raw differ");
	CHECK(syscall(SYS_gettid) == pid, "getpid: gettid differs in a single thread");
	if (n > 0) {
		link[n] = '\0';
		CHECK(atol(link) == pid, "getpid: %d but /proc/self is %s", pid, link);
	}
	CHECK(getppid() > 0, "getpid: getppid is %d", getppid());
	say("getpid: pid=%d", pid);
	say("getpid: ok");
}

static int64_t ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

/* clock_gettime: the vDSO and the real syscall agree and time moves on. */
static void sc_clock_gettime(void)
{
	struct timespec a, b, raw, real, res;
	struct timespec nap = { 0, 20 * 1000 * 1000 };

	CHECK(!clock_gettime(CLOCK_MONOTONIC, &a), "clock_gettime: %s", strerror(errno));
	CHECK(!syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &raw), "clock_gettime: raw failed");
	CHECK(ns(&raw) >= ns(&a), "clock_gettime: raw went backwards");
	CHECK(!nanosleep(&nap, NULL), "clock_gettime: nanosleep: %s", strerror(errno));
	CHECK(!clock_gettime(CLOCK_MONOTONIC, &b), "clock_gettime: %s", strerror(errno));
	CHECK(ns(&b) - ns(&a) >= 20 * 1000 * 1000,
	      "clock_gettime: 20 ms sleep measured as %ld ns", (long)(ns(&b) - ns(&a)));
	CHECK(!clock_gettime(CLOCK_REALTIME, &real) && real.tv_sec > 1500000000,
	      "clock_gettime: realtime %ld", (long)real.tv_sec);
	CHECK(!clock_getres(CLOCK_MONOTONIC, &res) && ns(&res) > 0, "clock_gettime: getres");
	errno = 0;
	CHECK(syscall(SYS_clock_gettime, 12345, &a) == -1 && errno == EINVAL,
	      "clock_gettime: bad clock gave errno %d", errno);
	say("clock_gettime: ok");
}

/* mmap/munmap: anonymous and file mappings, protections and unmapping. */
static void sc_mmap(void)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = 4 * page;
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t i;
	int fd;

	CHECK(p != MAP_FAILED, "mmap: anonymous: %s", strerror(errno));
	for (i = 0; i < len; i++)
		CHECK(p[i] == 0, "mmap: fresh page not zero at %lu", (unsigned long)i);
	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 7);
	for (i = 0; i < len; i++)
		CHECK(p[i] == (unsigned char)(i * 7), "mmap: readback at %lu", (unsigned long)i);
	CHECK(!mprotect(p, page, PROT_READ), "mmap: mprotect: %s", strerror(errno));
	CHECK(!munmap(p + page, page), "mmap: munmap middle: %s", strerror(errno));
	/* msync on a hole reports ENOMEM: the page is really gone. */
	errno = 0;
	CHECK(msync(p + page, page, MS_ASYNC) == -1 && errno == ENOMEM,
	      "mmap: unmapped page still mapped (errno %d)", errno);
	CHECK(!munmap(p, len), "mmap: munmap: %s", strerror(errno));

	fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0, "mmap: open self: %s", strerror(errno));
	p = mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED, "mmap: file: %s", strerror(errno));
	CHECK(!memcmp(p, "\177ELF", 4), "mmap: file mapping does not show the ELF magic");
	CHECK(!munmap(p, page), "mmap: munmap file: %s", strerror(errno));
	close(fd);
	errno = 0;
	CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	      errno == EINVAL, "mmap: zero length gave errno %d", errno);
	say("mmap: ok");
}

/* brk: the heap grows, holds data and shrinks back. */
static void sc_brk(void)
{
	char *start = (char *)syscall(SYS_brk, 0);
	size_t grow = 256 * 1024, i;
	char *end;

	CHECK(start && start != (char *)-1, "brk: query failed");
	end = (char *)syscall(SYS_brk, start + grow);
	CHECK(end == start + grow, "brk: did not grow by %lu", (unsigned long)grow);
	for (i = 0; i < grow; i += 4096)
		start[i] = (char)i;
	for (i = 0; i < grow; i += 4096)
		CHECK(start[i] == (char)i, "brk: readback at %lu", (unsigned long)i);
	end = (char *)syscall(SYS_brk, start);
	CHECK(end == start, "brk: did not shrink back");
	say("brk: ok");
}

/* openat: create, write, read back, stat and unlink a file in /tmp. */
static void sc_openat(void)
{
	static const char data[] = "ring-0 file data";
	char name[64], buf[sizeof(data)];
	struct stat st;
	int dir, fd;

	dir = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK(dir >= 0, "openat: open /tmp: %s", strerror(errno));
	snprintf(name, sizeof(name), "kml-ring0-openat-%d", getpid());
	fd = openat(dir, name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	CHECK(fd >= 0, "openat: create: %s", strerror(errno));
	CHECK(write(fd, data, sizeof(data)) == sizeof(data), "openat: write: %s", strerror(errno));
	CHECK(pread(fd, buf, sizeof(buf), 0) == sizeof(buf), "openat: pread: %s", strerror(errno));
	CHECK(!memcmp(buf, data, sizeof(data)), "openat: data differs");
	CHECK(!fstatat(dir, name, &st, 0) && st.st_size == sizeof(data), "openat: fstatat");
	errno = 0;
	CHECK(openat(dir, name, O_RDWR | O_CREAT | O_EXCL, 0600) == -1 && errno == EEXIST,
	      "openat: O_EXCL gave errno %d", errno);
	CHECK(!unlinkat(dir, name, 0), "openat: unlinkat: %s", strerror(errno));
	errno = 0;
	CHECK(openat(dir, name, O_RDONLY) == -1 && errno == ENOENT,
	      "openat: unlinked file gave errno %d", errno);
	close(fd);
	close(dir);
	say("openat: ok");
}

/* pipe: more than one pipe buffer page goes through in order. */
static void sc_pipe(void)
{
	static unsigned char out[3 * 4096 + 17], in[sizeof(out)];
	size_t i, got = 0;
	int fds[2];

	CHECK(!pipe2(fds, O_CLOEXEC), "pipe: %s", strerror(errno));
	for (i = 0; i < sizeof(out); i++)
		out[i] = (unsigned char)(i ^ (i >> 8));
	CHECK(write(fds[1], out, sizeof(out)) == sizeof(out), "pipe: write: %s", strerror(errno));
	close(fds[1]);
	for (;;) {
		ssize_t n = read(fds[0], in + got, sizeof(in) - got);

		CHECK(n >= 0, "pipe: read: %s", strerror(errno));
		if (n == 0)
			break;
		got += n;
	}
	CHECK(got == sizeof(out), "pipe: read %lu bytes", (unsigned long)got);
	CHECK(!memcmp(in, out, sizeof(out)), "pipe: data differs");
	close(fds[0]);
	say("pipe: ok");
}

/* poll: times out on an empty pipe, then reports POLLIN and POLLHUP. */
static void sc_poll(void)
{
	struct pollfd pfd;
	int fds[2], n;
	int64_t t0;

	CHECK(!pipe2(fds, O_CLOEXEC), "poll: pipe: %s", strerror(errno));
	pfd = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	t0 = now_ms();
	n = poll(&pfd, 1, 30);
	CHECK(n == 0, "poll: empty pipe gave %d", n);
	CHECK(now_ms() - t0 >= 29, "poll: 30 ms timeout took %ld ms", (long)(now_ms() - t0));
	CHECK(write(fds[1], "x", 1) == 1, "poll: write: %s", strerror(errno));
	n = poll(&pfd, 1, 1000);
	CHECK(n == 1 && (pfd.revents & POLLIN), "poll: gave %d revents %#x", n, pfd.revents);
	close(fds[1]);
	pfd.revents = 0;
	n = poll(&pfd, 1, 1000);
	CHECK(n == 1 && (pfd.revents & POLLHUP), "poll: no POLLHUP (revents %#x)", pfd.revents);
	close(fds[0]);
	say("poll: ok");
}

static const struct {
	const char *name;
	void (*run)(void);
} calls[] = {
	{ "write", sc_write },	 { "read", sc_read }, { "getpid", sc_getpid },
	{ "clock_gettime", sc_clock_gettime }, { "mmap", sc_mmap },
	{ "brk", sc_brk },	 { "openat", sc_openat }, { "pipe", sc_pipe },
	{ "poll", sc_poll },
};

static int run_syscall(int argc, char **argv)
{
	size_t i;

	if (argc != 1) {
		say("usage: syscall NAME");
		return 2;
	}
	say("cpl=%d", current_cpl());
	for (i = 0; i < ARRAY_SIZE(calls); i++) {
		if (!strcmp(argv[0], calls[i].name)) {
			calls[i].run();
			return 0;
		}
	}
	say("unknown syscall family '%s'", argv[0]);
	return 2;
}

const struct payload_mode syscall_modes[] = {
	{ "syscall", "write|read|getpid|clock_gettime|mmap|brk|openat|pipe|poll", run_syscall },
	{ NULL, NULL, NULL },
};
