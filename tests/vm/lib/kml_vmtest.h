/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one helper library of the in-VM tests (tests/vm/): loading and
 * unloading kml.ko, reading and writing sysfs, proc and other small text
 * files, running a program and collecting its output and status, and a few
 * process helpers. The ring-0 suite (ring0/ring0.h) and the attack suite
 * (attack/attack.h) build their own helpers on this one.
 *
 * One error convention everywhere: a function that can fail returns 0 (or
 * a value >= 0) on success and -errno on failure, and prints a TAP
 * diagnostic ("# ..." on stderr) saying what failed and why. Outcomes a
 * caller asks for on purpose are not failures and print nothing: loading
 * a module that is loaded already (-EEXIST), unloading one that is not
 * (-ENOENT).
 *
 * Every test program links kml_vmtest.c. Nothing here needs the kselftest
 * harness.
 */
#ifndef KML_VMTEST_H
#define KML_VMTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* kml.ko as the VM image installs it; $KML_KO overrides it. */
#define KML_KO_DEFAULT "/kml/kml.ko"
/* The module's attributes: policy, counters, version. */
#define KML_SYSFS "/sys/kernel/kml"

#ifndef __printf
#define __printf(a, b) __attribute__((format(printf, a, b)))
#endif

/* A TAP diagnostic: "# " + the message + a newline, on (unbuffered) stderr. */
__printf(1, 2) void kml_diag(const char *fmt, ...);

/* --- kml.ko ------------------------------------------------------------ */

/* kml.ko's path: $KML_KO, else KML_KO_DEFAULT. */
const char *kml_ko_path(void);
/*
 * The parameters of every load that does not name its own:
 * $KML_MODULE_PARAMS (the VM's init sets the development policy,
 * docs/gate.md), or none.
 */
const char *kml_module_params(void);
/* finit_module(@path, @params), any module: 0, -EEXIST, or -errno. */
int module_load(const char *path, const char *params);
/*
 * delete_module(@name, O_NONBLOCK), retried while the module is busy for
 * up to @timeout_ms: 0, -ENOENT (not loaded), or -errno.
 */
int module_unload_wait(const char *name, int timeout_ms);
/* finit_module(kml.ko, kml_module_params()): 0, -EEXIST, or -errno. */
int kml_load(void);
/* finit_module(kml.ko, @params): 0, -EEXIST, or -errno. */
int kml_load_with(const char *params);
/* delete_module("kml", O_NONBLOCK): 0, -ENOENT, or -errno. */
int kml_unload(void);
/* kml_unload(), retried while kml.ko is busy for up to @timeout_ms. */
int kml_unload_wait(int timeout_ms);
/* Whether /proc/modules lists kml. */
bool kml_listed(void);
/* Booted with kml_strict_smep: the kernel offers no bypass entry. */
bool kml_strict_smep_booted(void);

/*
 * For a fixture's setup: makes sure kml.ko is loaded and says in
 * *@loaded_here whether this call loaded it. 0 or -errno.
 */
int kml_ensure_loaded(bool *loaded_here);
/* For the teardown: unloads kml.ko if kml_ensure_loaded() loaded it. */
int kml_release(bool loaded_here);

/* --- small files: sysfs, proc, module parameters ------------------------ */

/* Reads up to @size - 1 bytes of @path into @buf, NUL-terminated: the length or -errno. */
ssize_t kml_read_text(const char *path, char *buf, size_t size);
/*
 * Writes all of @text to @path, opened O_WRONLY | @flags (O_CREAT,
 * O_TRUNC, O_APPEND; created files get mode 0644): 0 or -errno.
 */
int kml_write_text(const char *path, const char *text, int flags);
/* The decimal number at the start of @path: it (>= 0), or -errno. */
long long kml_read_number(const char *path);
/* /sys/kernel/kml/@name as a decimal number: it (>= 0), or -errno. */
long long kml_sysfs_number(const char *name);
/* Reads /sys/kernel/kml/@name into @buf: the length or -errno. */
ssize_t kml_sysfs_read(const char *name, char *buf, size_t size);
/* Writes @value to /sys/kernel/kml/@name: 0 or -errno. */
int kml_sysfs_write(const char *name, const char *value);
/* The count of @reason in /sys/kernel/kml/refused ("<reason> <count>" lines), or -errno. */
long long kml_refused(const char *reason);
/* /proc/sys/kernel/tainted, to show a test left the kernel as it found it. */
long long kernel_tainted(void);
/* The VM's init leaves the loopback interface down: 0 once it is up, or -errno. */
int kml_loopback_up(void);

/* --- programs ------------------------------------------------------------ */

/* Generous bound for one short program under TCG with KASAN (about 20x slower). */
#define PAYLOAD_TIMEOUT_MS 20000
#define RUN_OUT_MAX 16384

/* A program started by child_spawn() or kml_run(). */
struct child {
	pid_t pid;
	int out;		/* read end of its output, -1 once at EOF */
	int in;			/* write end of its stdin, -1 once closed */
	int status;		/* waitpid status once reaped */
	bool reaped;
	int exec_errno;		/* errno of the failed execve, 0 if it ran */
	size_t len;
	char output[RUN_OUT_MAX];	/* what it printed, NUL-terminated */
};

/* Where a child's stderr goes. */
enum child_stderr {
	CHILD_STDERR_WITH_OUTPUT,	/* into output, with stdout (the default) */
	CHILD_STDERR_INHERITED,	/* the test's own stderr */
	CHILD_STDERR_TO_FILE,		/* the file stderr_path, created or truncated */
};

struct spawn_opts {
	int cpu;		/* pin to this CPU before exec; -1 for no pinning */
	uid_t uid;		/* become this user (and its group) first; 0 to stay */
	bool keep_stdin;	/* give it a pipe as stdin (else stdin_path or /dev/null) */
	const char *stdin_path;	/* a file to read stdin from, if no pipe */
	enum child_stderr stderr_to;
	const char *stderr_path;
};

#define SPAWN_DEFAULTS ((struct spawn_opts){ .cpu = -1 })

/* Absolute path of a file next to this test program (absolute names pass through). */
const char *payload_path(const char *name);
/* Whether that file exists and is executable. */
bool payload_exists(const char *name);

/*
 * Starts @argv (argv[0] a path), its output into child->output. Returns 0
 * once it is running, or -errno (then child->exec_errno says why exec
 * failed, and the child is reaped with exit status 127). Every spawned
 * child dies with the test process (PR_SET_PDEATHSIG) and is killed by
 * children_kill_all().
 */
int child_spawn_argv(struct child *c, char *const argv[], const struct spawn_opts *opts);
/* The same for the program @name next to the test (payload_path()), argv[0] added. */
int child_spawn(struct child *c, const char *name, const char *const args[],
		const struct spawn_opts *opts);
/* Reads output until a line equal to @line arrives: 0, or -ETIMEDOUT/-EPIPE. */
int child_wait_line(struct child *c, const char *line, int timeout_ms);
/*
 * Closes stdin, reads to EOF and reaps: 0, or -ETIMEDOUT (then it is
 * killed). A negative @timeout_ms waits as long as it takes.
 */
int child_finish(struct child *c, int timeout_ms);
/* Sends @sig: 0 or -errno. */
int child_signal(struct child *c, int sig);
/* SIGKILL and reap, whatever state it is in. */
void child_kill(struct child *c);
/* SIGKILL and reap every child spawned and not reaped yet (after a failed assert). */
void children_kill_all(void);
/* Whether output holds the line (exact, without its newline). */
bool child_said(const struct child *c, const char *line);
/* Exit code if it exited, 128+signal if killed, -1 if not reaped. */
int child_exit(const struct child *c);

/* Runs the program @name next to the test to its end: spawn + finish. 0, or -errno. */
int payload_run(struct child *c, const char *name, const char *const args[]);

/*
 * Runs @argv (argv[0] a path) to its end, without a time limit: stdin from
 * the file @in if set (else /dev/null), stdout into c->output, stderr as
 * @err says: CHILD_STDERR_WITH_OUTPUT, CHILD_STDERR_INHERITED, or CHILD_STDERR_TO_FILE into
 * @err_path. 0 once it ran and was reaped, also when its exec failed (it
 * then exits 127 and c->exec_errno says why); -errno if it could not be
 * started at all.
 */
int kml_run(struct child *c, char *const argv[], const char *in,
	    enum child_stderr err, const char *err_path);

/* --- processes and CPUs -------------------------------------------------- */

/* sched_setaffinity(0) to one CPU; 0 or -errno. */
int pin_self(int cpu);
/* The CPU this process may run on, for tests that pin two tasks together. */
int some_cpu(void);
/* utime+stime of a process in clock ticks, from /proc/PID/stat; -1 on error. */
long long cpu_ticks(pid_t pid);
/* CLOCK_MONOTONIC in milliseconds. */
long long kml_now_ms(void);

#endif /* KML_VMTEST_H */
