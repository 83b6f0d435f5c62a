// SPDX-License-Identifier: GPL-2.0
/*
 * The example programs (userspace/examples: kvstore, echo-server, httpd,
 * all C++20 on the hardened standard library) as a user builds them:
 * `kml build` runs the source verifier (zero findings), the rewriter, the
 * binary validator and signs them as verified with the VM's test CA. Each
 * runs at CPL 0 (the kernel's ring0_execs counter says so) and does its
 * whole job: kvstore answers its protocol session byte for byte, the echo
 * server and its client agree on every line, and the HTTP server serves
 * files byte-identically, refuses what it must, and survives a client that
 * hangs up in the middle of a response (SIGPIPE ignored, EPIPE handled).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kml_vmtest.h"

#define TESTS "/kml/tests/"
#define WWW "/tmp/kml-www"
#define BIG_SIZE (3 << 20) /* more than a socket buffer: a write must fail */

/* Reads all of @path into @buf (at most @cap bytes): its size, or -1. */
static ssize_t read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while (len < cap && (n = read(fd, buf + len, cap - len)) > 0)
		len += n;
	close(fd);
	return len;
}

/* A server started with its stdout on a pipe, and the port it announced. */
struct server {
	pid_t pid;
	FILE *out;
	int port;
};

/* Starts @argv and reads its first line, "listening PORT": 0 or -1. */
static int server_start(struct server *s, char *const argv[])
{
	int pipefd[2];
	char line[64];

	if (pipe(pipefd))
		return -1;
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	s->out = fdopen(pipefd[0], "r");
	if (!s->out || !fgets(line, sizeof(line), s->out) ||
	    sscanf(line, "listening %d", &s->port) != 1) {
		kill(s->pid, SIGKILL);
		return -1;
	}
	return 0;
}

/* The server's next stdout line into @line, then its exit status. */
static int server_finish(struct server *s, char *line, size_t cap)
{
	int status = -1;

	if (!fgets(line, cap, s->out))
		line[0] = '\0';
	fclose(s->out);
	waitpid(s->pid, &status, 0);
	return status;
}

static int connect_to(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct timeval tv = { .tv_sec = 20 };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One request on its own connection, the whole answer read to EOF. */
struct reply {
	int status;
	long length; /* Content-Length, -1 if absent */
	char *body;
	size_t body_len;
	char raw[BIG_SIZE + 4096];
};

static int http(struct reply *r, int port, const char *request)
{
	size_t len = 0;
	ssize_t n;
	char *end, *cl;
	int fd = connect_to(port);

	if (fd < 0 || write(fd, request, strlen(request)) != (ssize_t)strlen(request))
		return -1;
	while (len < sizeof(r->raw) - 1 &&
	       (n = read(fd, r->raw + len, sizeof(r->raw) - 1 - len)) > 0)
		len += n;
	close(fd);
	r->raw[len] = '\0';
	end = strstr(r->raw, "\r\n\r\n");
	if (!end || sscanf(r->raw, "HTTP/1.1 %d", &r->status) != 1)
		return -1;
	*end = '\0'; /* the head is a string now */
	cl = strcasestr(r->raw, "\r\nContent-Length: ");
	r->length = cl ? atol(cl + 18) : -1;
	r->body = end + 4;
	r->body_len = len - (r->body - r->raw);
	return 0;
}

FIXTURE(examples) {
	bool loaded_here;
	long long execs;
};

FIXTURE_SETUP(examples)
{
	int ret = kml_ensure_loaded(&self->loaded_here);

	ASSERT_EQ(0, ret) TH_LOG("kml.ko: %s", strerror(-ret));
	self->execs = kml_sysfs_number("ring0_execs");
	ASSERT_LE(0, self->execs);
	ASSERT_EQ(0, kml_loopback_up());
}

FIXTURE_TEARDOWN(examples)
{
	kml_release(self->loaded_here);
}

TEST_F(examples, kvstore_at_cpl0_answers_its_session_byte_for_byte)
{
	static struct child run;
	static char expected[8192];
	char *argv[] = { TESTS "kvstore.verified", "--capacity", "4", NULL };
	ssize_t n = read_file(TESTS "kvstore-session.expected", expected,
			      sizeof(expected) - 1);

	ASSERT_LT(0, n);
	expected[n] = '\0';
	ASSERT_EQ(0, kml_run(&run, argv, TESTS "kvstore-session.in", CHILD_STDERR_INHERITED, NULL));
	EXPECT_EQ(0, run.status);
	EXPECT_STREQ(expected, run.output);
	EXPECT_EQ(self->execs + 1, kml_sysfs_number("ring0_execs"));
}

TEST_F(examples, echo_server_and_client_at_cpl0_agree_on_every_line)
{
	static struct child run;
	struct server s;
	char port[16], line[128];
	char *serve[] = { TESTS "echo-server.verified", "serve", "--connections",
			  "2", "--timeout", "20", NULL };
	char *small[] = { TESTS "echo-server.verified", "client", "--port", port,
			  "--messages", "300", "--size", "64", NULL };
	char *large[] = { TESTS "echo-server.verified", "client", "--port", port,
			  "--messages", "20", "--size", "1024", NULL };

	ASSERT_EQ(0, server_start(&s, serve));
	snprintf(port, sizeof(port), "%d", s.port);
	ASSERT_EQ(0, kml_run(&run, small, NULL, CHILD_STDERR_WITH_OUTPUT, NULL));
	EXPECT_EQ(0, run.status);
	EXPECT_STREQ("client: 300 messages ok\n", run.output);
	ASSERT_EQ(0, kml_run(&run, large, NULL, CHILD_STDERR_WITH_OUTPUT, NULL));
	EXPECT_EQ(0, run.status);
	EXPECT_STREQ("client: 20 messages ok\n", run.output);
	EXPECT_EQ(0, server_finish(&s, line, sizeof(line)));
	/* 300 * 64 + 20 * 1024 bytes echoed */
	EXPECT_STREQ("served 2 connections 320 lines 39680 bytes\n", line);
	EXPECT_EQ(self->execs + 3, kml_sysfs_number("ring0_execs"));
}

/* @size bytes of a pattern no offset repeats within 251 bytes of. */
static int write_pattern(const char *path, size_t size)
{
	static char data[BIG_SIZE];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	size_t i;
	ssize_t n;

	if (fd < 0 || size > sizeof(data))
		return -1;
	for (i = 0; i < size; i++)
		data[i] = (char)(i * 7 % 251);
	n = write(fd, data, size);
	close(fd);
	return n == (ssize_t)size ? 0 : -1;
}

TEST_F(examples, httpd_at_cpl0_serves_files_byte_identically)
{
	static struct reply r;
	static char file[BIG_SIZE];
	struct server s;
	char line[128];
	ssize_t size;
	int early;
	char *serve[] = { TESTS "httpd.verified", "serve", "--root", WWW,
			  "--requests", "7", "--timeout", "20", NULL };

	mkdir(WWW, 0755);
	mkdir(WWW "/sub", 0755);
	ASSERT_EQ(0, kml_write_text(WWW "/index.html", "<h1>kml</h1>\n", O_CREAT | O_TRUNC));
	ASSERT_EQ(0, kml_write_text(WWW "/sub/a file.txt", "spaced\n", O_CREAT | O_TRUNC));
	ASSERT_EQ(0, write_pattern(WWW "/big.bin", BIG_SIZE));
	ASSERT_EQ(0, server_start(&s, serve));

	/* 1: a client that asks for 3 MiB and hangs up at once */
	early = connect_to(s.port);
	ASSERT_LE(0, early);
	ASSERT_LT(0, write(early, "GET /big.bin HTTP/1.1\r\n\r\n", 25));
	close(early);

	/* 2: the server is still there, and the body is the file's */
	ASSERT_EQ(0, http(&r, s.port, "GET /big.bin HTTP/1.1\r\nConnection: close\r\n\r\n"));
	size = read_file(WWW "/big.bin", file, sizeof(file));
	EXPECT_EQ(200, r.status);
	EXPECT_EQ(size, r.length);
	ASSERT_EQ((size_t)size, r.body_len);
	EXPECT_EQ(0, memcmp(file, r.body, size));
	EXPECT_NE(NULL, strstr(r.raw, "Content-Type: application/octet-stream"));

	/* 3: HEAD has the length and no body */
	ASSERT_EQ(0, http(&r, s.port, "HEAD /big.bin HTTP/1.1\r\nConnection: close\r\n\r\n"));
	EXPECT_EQ(200, r.status);
	EXPECT_EQ(BIG_SIZE, r.length);
	EXPECT_EQ((size_t)0, r.body_len);

	/* 4: a directory's index.html, as text/html */
	ASSERT_EQ(0, http(&r, s.port, "GET / HTTP/1.0\r\n\r\n"));
	EXPECT_EQ(200, r.status);
	EXPECT_STREQ("<h1>kml</h1>\n", r.body);
	EXPECT_NE(NULL, strstr(r.raw, "Content-Type: text/html"));

	/* 5: a percent-encoded name */
	ASSERT_EQ(0, http(&r, s.port, "GET /sub/a%20file.txt HTTP/1.0\r\n\r\n"));
	EXPECT_EQ(200, r.status);
	EXPECT_STREQ("spaced\n", r.body);

	/* 6, 7: what is not there, and what is outside the root */
	ASSERT_EQ(0, http(&r, s.port, "GET /missing HTTP/1.0\r\n\r\n"));
	EXPECT_EQ(404, r.status);
	ASSERT_EQ(0, http(&r, s.port, "GET /%2e%2e/etc/passwd HTTP/1.0\r\n\r\n"));
	EXPECT_EQ(403, r.status);
	EXPECT_TRUE(!strstr(r.body, "root:"));

	EXPECT_EQ(0, server_finish(&s, line, sizeof(line)));
	EXPECT_EQ(0, strncmp(line, "served 7 requests ", 18)) TH_LOG("%s", line);
	EXPECT_EQ(self->execs + 1, kml_sysfs_number("ring0_execs"));
}

TEST_HARNESS_MAIN
