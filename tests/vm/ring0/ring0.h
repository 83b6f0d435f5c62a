/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the ring-0 kselftests: load and unload kml.ko, run the payload
 * in one of its forms and capture what it prints, and decide whether this
 * kernel really runs marked programs at CPL 0.
 *
 * Include after kselftest_harness.h. Every test program links ring0_lib.c.
 */
#ifndef KML_RING0_H
#define KML_RING0_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The payload's forms (see payload/payload.h), installed next to the tests. */
#define PAYLOAD_RING0 "ring0-payload"			/* marker enabled */
#define PAYLOAD_RING3 "ring0-payload.disabled"		/* marker disabled */
#define PAYLOAD_UNMARKED "ring0-payload.unmarked"	/* no marker */
#define PAYLOAD_RZ_RING0 "ring0-payload-redzone"	/* built without -mno-red-zone */
#define PAYLOAD_RZ_RING3 "ring0-payload-redzone.disabled"

/* Where the module's counters are expected (see README.md). */
#define KML_SYSFS "/sys/kernel/kml"
#define KML_COUNTER_EXECS KML_SYSFS "/ring0_execs"
#define KML_COUNTER_TASKS KML_SYSFS "/ring0_tasks"
#define KML_COUNTER_REFUSED KML_SYSFS "/refused_eperm"

/* Generous bounds for one payload under TCG with KASAN (about 20x slower). */
#define PAYLOAD_TIMEOUT_MS 20000

#define RUN_OUT_MAX 16384

/* A payload started by child_spawn(). */
struct child {
	pid_t pid;
	int out;		/* read end of its stdout+stderr, -1 once at EOF */
	int in;			/* write end of its stdin, -1 once closed */
	int status;		/* waitpid status once reaped */
	bool reaped;
	int exec_errno;		/* errno of the failed execve, 0 if it ran */
	size_t len;
	char output[RUN_OUT_MAX];
};

struct spawn_opts {
	int cpu;		/* pin to this CPU before exec; -1 for no pinning */
	uid_t uid;		/* become this user (and its group) first; 0 to stay */
	bool keep_stdin;	/* give it a pipe as stdin (else /dev/null) */
};

#define SPAWN_DEFAULTS ((struct spawn_opts){ .cpu = -1 })

/* kml.ko's path: $KML_KO, else /kml/kml.ko as the VM image installs it. */
const char *kml_ko_path(void);
/*
 * The module parameters every load uses: $KML_MODULE_PARAMS (the VM's init
 * sets the development policy, docs/gate.md), or none.
 */
const char *kml_module_params(void);
/* finit_module(kml.ko): 0, or -errno (-EEXIST if it is loaded already). */
int kml_load(void);
/* delete_module("kml", O_NONBLOCK): 0 or -errno. */
int kml_unload(void);
/* kml_unload(), retried while it says EBUSY, for up to timeout_ms. */
int kml_unload_wait(int timeout_ms);
/* Whether /proc/modules lists kml. */
bool kml_listed(void);
/* Reads a decimal counter; -errno if the file cannot be read. */
long long kml_counter(const char *path);

/*
 * The module's state for one test: loaded in setup, unloaded in teardown
 * if this test loaded it. ring0 says whether marked payloads run at CPL 0
 * here, why says why not.
 */
struct ring0_env {
	int load_result;
	bool loaded_by_us;
	bool ring0;
	bool broken;	/* the probe ran but crashed or printed nonsense */
	char why[256];
};

/* Loads kml.ko (tolerating its absence) and probes the ring of PAYLOAD_RING0. */
void ring0_env_setup(struct ring0_env *env);
/* Kills and reaps any payload still running, then unloads what setup loaded. */
int ring0_env_teardown(struct ring0_env *env);
/* True when the environment asks for failures instead of skips. */
bool ring0_required(void);

/* Absolute path of a file next to this test program (absolute names pass through). */
const char *payload_path(const char *name);
/* Whether that file exists. */
bool payload_exists(const char *name);

/*
 * Starts payload NAME with the given arguments (argv[0] is added), stdout
 * and stderr into child->output. Returns 0 once it is running, or -errno
 * (then child->exec_errno says why exec failed). Every spawned child dies
 * with the test process (PR_SET_PDEATHSIG) and is killed by teardown.
 */
int child_spawn(struct child *c, const char *name, const char *const args[],
		const struct spawn_opts *opts);
/* Reads output until a line equal to line arrives: 0, or -ETIMEDOUT/-EPIPE. */
int child_wait_line(struct child *c, const char *line, int timeout_ms);
/* Closes stdin, reads to EOF and reaps: 0, or -ETIMEDOUT (then it is killed). */
int child_finish(struct child *c, int timeout_ms);
/* Sends sig. */
int child_signal(struct child *c, int sig);
/* SIGKILL and reap, whatever state it is in. */
void child_kill(struct child *c);
/* Whether output holds the line (exact, without its newline). */
bool child_said(const struct child *c, const char *line);

/* Runs a payload to its end: spawn + finish. 0, or -errno. */
int payload_run(struct child *c, const char *name, const char *const args[]);

/* Exit code if it exited, 128+signal if killed, -1 if not reaped. */
int child_exit(const struct child *c);

/* sched_setaffinity(0) to one CPU; 0 or -errno. */
int pin_self(int cpu);
/* The CPU this process may run on, for tests that pin two tasks together. */
int some_cpu(void);
/* utime+stime of a process in clock ticks, from /proc/PID/stat; -1 on error. */
long long cpu_ticks(pid_t pid);

/*
 * In a test body: skip unless marked payloads run at CPL 0 on this kernel.
 * Fails instead with KML_REQUIRE_RING0=1, or when the probe started and
 * then crashed or printed something else than cpl=0 or cpl=3 (a broken
 * kernel must not hide behind skips).
 */
#define REQUIRE_RING0(env) do {						\
	if (!(env)->ring0) {						\
		if (ring0_required() || (env)->broken) {		\
			TH_LOG("%s", (env)->why);			\
			ASSERT_TRUE((env)->ring0);			\
		}							\
		SKIP(return, "%s", (env)->why);				\
	}								\
} while (0)

/*
 * In a test body: the form a variant runs must be usable. CPL 0 forms need
 * ring 0; CPL 3 forms (disabled marker) only need to have been built.
 */
#define REQUIRE_FORM(env, name, cpl) do {				\
	if ((cpl) == 0)							\
		REQUIRE_RING0(env);					\
	REQUIRE_PAYLOAD(name);						\
} while (0)

/* The fixture every ring-0 test uses: kml.ko loaded around each test. */
#define RING0_FIXTURE(name)						\
	FIXTURE(name) { struct ring0_env env; };			\
	FIXTURE_SETUP(name) { ring0_env_setup(&self->env); }		\
	FIXTURE_TEARDOWN(name)						\
	{								\
		int _ret = ring0_env_teardown(&self->env);		\
									\
		if (_ret)						\
			TH_LOG("unloading kml.ko: %s", strerror(-_ret)); \
		EXPECT_EQ(0, _ret);					\
	}

/* /proc/sys/kernel/tainted, to show a test left the kernel as it found it. */
long long kernel_tainted(void);

/* In a test body: skip unless the payload form NAME was built and marked. */
#define REQUIRE_PAYLOAD(name) do {					\
	if (!payload_exists(name)) {					\
		TH_LOG("%s is missing next to the test: run the marking " \
		       "step of tests/vm/ring0/build.mk", name);	\
		ASSERT_FALSE(ring0_required());				\
		SKIP(return, "%s missing (not marked yet?)", name);	\
	}								\
} while (0)

#endif
