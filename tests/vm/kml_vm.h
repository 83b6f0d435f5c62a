/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the in-VM tests that run whole programs: a fixture
 * body that loads kml.ko for a test, and a runner that collects a
 * program's output. Header-only: each test is one static program.
 */
#ifndef KML_VM_H
#define KML_VM_H

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define KML_VM_KO "/kml/kml.ko"

/* finit_module(kml.ko): 0 if this call loaded it, 1 if it was loaded. */
static inline int kml_vm_load(void)
{
	int fd = open(KML_VM_KO, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	/* The VM's policy for unsigned test programs (docs/gate.md). */
	ret = syscall(SYS_finit_module, fd,
		      getenv("KML_MODULE_PARAMS") ? getenv("KML_MODULE_PARAMS") : "", 0);
	if (ret && errno != EEXIST)
		ret = -errno;
	else
		ret = ret ? 1 : 0;
	close(fd);
	return ret;
}

/* Unloads kml.ko if kml_vm_load() said this test loaded it. */
static inline void kml_vm_unload(bool loaded_here)
{
	if (loaded_here)
		syscall(SYS_delete_module, "kml", O_NONBLOCK);
}

/* Writes @text to @path (created or truncated): 0 or -1. */
static inline int kml_vm_write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* The VM's init leaves the loopback interface down: 0 once it is up. */
static inline int kml_vm_loopback_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int ret = -1;

	if (fd < 0)
		return -1;
	if (!ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		ifr.ifr_flags |= IFF_UP;
		ret = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return ret;
}

/* For kml_vm_run()'s @err: stderr goes where stdout goes. */
#define KML_VM_WITH_OUTPUT "&1"

struct kml_vm_run {
	char out[16384];
	int status;
	pid_t pid;
};

/*
 * Runs @argv (argv[0] a path) with stdin from @in if set, collects its
 * stdout and waits for it. Its stderr is the caller's if @err is NULL,
 * joins stdout with KML_VM_WITH_OUTPUT, else goes to the file @err.
 * 0 or -errno.
 */
static inline int kml_vm_run(struct kml_vm_run *r, char *const argv[],
			     const char *in, const char *err)
{
	int pipefd[2];
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(pipefd))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int fd = in ? open(in, O_RDONLY) : -1;

		if (in && fd < 0)
			_exit(126);
		if (fd >= 0) {
			dup2(fd, STDIN_FILENO);
			close(fd);
		}
		dup2(pipefd[1], STDOUT_FILENO);
		if (err && !strcmp(err, KML_VM_WITH_OUTPUT)) {
			dup2(pipefd[1], STDERR_FILENO);
		} else if (err) {
			fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
			if (fd < 0)
				_exit(126);
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
		close(pipefd[0]);
		close(pipefd[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	while (len < sizeof(r->out) - 1 &&
	       (n = read(pipefd[0], r->out + len, sizeof(r->out) - 1 - len)) > 0)
		len += n;
	r->out[len] = '\0';
	close(pipefd[0]);
	waitpid(pid, &r->status, 0);
	r->pid = pid;
	return 0;
}

#endif /* KML_VM_H */
