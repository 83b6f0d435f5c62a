/*
 * The library finder at CPL 3 (shared_objects_test.cpp): run through the
 * rewritten loader and libc, this program's first constructor puts
 * AT_KML_ENTRY -> probe_entry (finder_entry.S) into the initial stack's
 * auxiliary vector, in place of AT_FLAGS, and empties the rewritten libc's
 * slot and `looked` flag (KML_DATA: the address of libc's .kml.data), so
 * that libc's next system call runs the finder, which must find
 * probe_entry, and every later one takes the direct path: files and errno,
 * fork, vfork and exec, posix_spawn, threads, and a restartable read
 * interrupted by signals. One line a check.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/kml_abi.h>

extern void *__libc_stack_end;
extern void probe_entry(void);
extern long probe_calls;
extern char **environ;

static unsigned long *slot, *looked;
static volatile int alarms;

static int find_libc(struct dl_phdr_info *info, size_t size, void *base)
{
	(void)size;
	if (strstr(info->dlpi_name, "libc.so.6"))
		*(unsigned long *)base = info->dlpi_addr;
	return 0;
}

__attribute__((constructor(101))) static void plant_entry(void)
{
	const char *data = getenv("KML_DATA");
	unsigned long base = 0;
	long *p;

	if (!data)
		return;
	dl_iterate_phdr(find_libc, &base);
	slot = (unsigned long *)(base + strtoul(data, NULL, 0));
	looked = slot + 6; /* SlotLayout: looked is 48 bytes in */
	p = (long *)__libc_stack_end;
	p += p[0] + 2; /* over argc and argv */
	while (*p)
		p++;
	for (p++; p[0]; p += 2)
		if (p[0] == AT_FLAGS) {
			p[0] = AT_KML_ENTRY;
			p[1] = (long)probe_entry;
		}
	*slot = 0;
	*looked = 0;
}

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void *reader(void *arg)
{
	char buf[64];
	long n = 0;

	(void)arg;
	for (int i = 0; i < 100; i++) {
		int fd = open("/proc/self/stat", O_RDONLY);

		n += read(fd, buf, sizeof(buf)) > 0;
		close(fd);
	}
	return (void *)n;
}

int main(void)
{
	char *args[] = { "echo", "spawned", NULL };
	pthread_t threads[8];
	int p[2], q[2], status;
	char buf[8] = { 0 };
	long total = 0;
	pid_t child;

	if (!slot) {
		puts("KML_DATA unset");
		return 2;
	}
	/* libc's first system call since the constructor runs the finder. */
	(void)getppid();
	printf("entry found: %s\n",
	       *slot == (unsigned long)probe_entry ? "yes" : "no");
	printf("looked: %lu\n", *looked);
	errno = 0;
	printf("errno: %s\n",
	       open("/nonexistent", O_RDONLY) == -1 && errno == ENOENT ? "ENOENT" : "wrong");
	if (pipe(p))
		return 1;
	child = fork();
	if (child == 0) {
		if (write(p[1], "child", 5) != 5)
			_exit(1);
		_exit(7);
	}
	if (read(p[0], buf, 5) != 5)
		return 1;
	waitpid(child, &status, 0);
	printf("fork: %s %d\n", buf, WEXITSTATUS(status));
	child = vfork();
	if (child == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	waitpid(child, &status, 0);
	printf("vfork and exec: %d\n", WEXITSTATUS(status));
	fflush(stdout);
	if (posix_spawn(&child, "/bin/echo", NULL, NULL, args, environ))
		return 1;
	waitpid(child, &status, 0);
	for (int i = 0; i < 8; i++)
		pthread_create(&threads[i], NULL, reader, NULL);
	for (int i = 0; i < 8; i++) {
		void *n;

		pthread_join(threads[i], &n);
		total += (long)n;
	}
	printf("threads: %ld\n", total);
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	sigaction(SIGALRM, &sa, NULL);
	if (pipe(q))
		return 1;
	child = fork();
	if (child == 0) {
		usleep(500000);
		if (write(q[1], "x", 1) != 1)
			_exit(1);
		_exit(0);
	}
	ualarm(50000, 50000);
	ssize_t n = read(q[0], buf, 1);
	ualarm(0, 0);
	waitpid(child, &status, 0);
	printf("restarted read: %zd, signals: %s\n", n, alarms > 2 ? "several" : "few");
	printf("direct calls: %s\n", probe_calls > 1000 ? "many" : "few");
	return 0;
}
