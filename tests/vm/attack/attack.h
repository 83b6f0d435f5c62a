/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the attack kselftests: the payload's forms, the fixture every
 * test uses (kml.ko loaded, the ring probed, the kernel's taint compared
 * before and after), and helpers to run code as another user and to trace
 * a payload. Builds on the ring-0 suite's fixture (../ring0/ring0.h: the
 * CPL probe) and the common library (../lib/kml_vmtest.h: kml.ko, sysfs,
 * spawning payloads and capturing their output).
 *
 * Include after kselftest_harness.h. Every test program links
 * attack_lib.c, ../ring0/ring0_lib.c and ../lib/kml_vmtest.c.
 */
#ifndef KML_ATTACK_H
#define KML_ATTACK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ring0.h"

/* The attack payload's forms (payload/payload.h), installed next to the tests. */
#define ATTACK_RING0 "attack-payload"			/* CPL 0, direct entry */
#define ATTACK_BYPASS "attack-payload.bypass"		/* CPL 0, bypass entry */
#define ATTACK_RING3 "attack-payload.disabled"		/* CPL 3 */
#define ATTACK_UNMARKED "attack-payload.unmarked"	/* CPL 3, no marker */
#define ATTACK_COMPAT32 "attack-compat32"		/* static i386 program */

#define NOBODY 65534

/* x86-64 Linux GDT selectors. */
#define KERNEL32_CS 0x08UL
#define KERNEL_CS 0x10UL
#define KERNEL_DS 0x18UL
#define USER32_CS 0x23UL
#define USER_DS 0x2bUL
#define USER_CS 0x33UL

/* The first kernel-half address (4-level paging). */
#define KERNEL_HALF 0xffff800000000000UL

struct attack_env {
	struct ring0_env ring0;
	long long tainted;	/* /proc/sys/kernel/tainted before the test */
};

void attack_env_setup(struct attack_env *env);

/*
 * The fixture of every attack test: kml.ko loaded around each test and
 * the kernel no more tainted afterwards than before (a WARN, an oops or a
 * KASAN report taints it).
 */
#define ATTACK_FIXTURE(name)						\
	FIXTURE(name) { struct attack_env env; };			\
	FIXTURE_SETUP(name) { attack_env_setup(&self->env); }		\
	FIXTURE_TEARDOWN(name)						\
	{								\
		EXPECT_EQ(0, ring0_env_teardown(&self->env.ring0));	\
		EXPECT_EQ(self->env.tainted, kernel_tainted())		\
			TH_LOG("the kernel is tainted now: see its log"); \
	}

/*
 * The same, for a test that expects the taint bits @expected (for example
 * TAINT_MACHINE_CHECK after a machine check): any other new taint fails.
 */
#define ATTACK_FIXTURE_TAINT(name, expected)				\
	FIXTURE(name) { struct attack_env env; };			\
	FIXTURE_SETUP(name) { attack_env_setup(&self->env); }		\
	FIXTURE_TEARDOWN(name)						\
	{								\
		EXPECT_EQ(0, ring0_env_teardown(&self->env.ring0));	\
		EXPECT_EQ(self->env.tainted & ~(expected),		\
			  kernel_tainted() & ~(expected))		\
			TH_LOG("the kernel is tainted now: see its log"); \
	}

/* In a test body: the payload form NAME must run at CPL (0 or 3). */
#define REQUIRE_ATTACK_FORM(env, name, cpl) REQUIRE_FORM(&(env)->ring0, name, cpl)

/* In a test body: kml.ko must be loaded (skip, or fail with KML_REQUIRE_RING0=1). */
#define REQUIRE_KML_LOADED(env) do {					\
	int _load = (env)->ring0.load_result;				\
									\
	if (_load && _load != -EEXIST) {				\
		TH_LOG("kml.ko: %s", strerror(-_load));			\
		ASSERT_FALSE(ring0_required());				\
		SKIP(return, "kml.ko is not loaded");			\
	}								\
} while (0)

/* Starts a payload with a stdin pipe and waits for its "ready" line. */
int spawn_ready(struct child *c, const char *payload, const char *const args[], int cpu);

/* PTRACE_SEIZE with @options, PTRACE_INTERRUPT, and the stop: 0 or -errno. */
int seize_and_stop(pid_t pid, unsigned long options);

/*
 * For a tracee that is a child of ours: resumes every stop (ptrace stops
 * and the SIGSTOP/SIGTRAP of attach and exec are swallowed, other signals
 * delivered) until it exits, and leaves it unreaped for child_finish().
 */
int trace_until_exit(pid_t pid);

/*
 * Runs fn(data) in a forked child that first becomes @uid (and its group,
 * no supplementary groups) unless uid is 0. What fn leaves in data[0..size)
 * is copied back, unless fn exec'd. Returns the child's exit status (fn's
 * return value, 126 if it could not change user), 128+signal if it was
 * killed, or -errno.
 */
int as_user(uid_t uid, int (*fn)(void *data), void *data, size_t size);

/* The value of "KEY=VALUE" (decimal or 0x hex) in the output; false if absent. */
bool output_value(const struct child *c, const char *key, unsigned long *value);

/* The serial of the keyring named @name (".kml") in /proc/keys; -1 if none. */
long keyring_serial(const char *name);

/*
 * Adds the DER certificate at @path to keyring @ring, through our session
 * keyring if @possessed (then we may revoke it): its serial, or -errno.
 */
long kml_enrol(const char *path, long ring, bool possessed);

/* Whether the process was killed by signal @sig. */
static inline bool died_of(const struct child *c, int sig)
{
	return child_exit(c) == 128 + sig;
}

#endif
