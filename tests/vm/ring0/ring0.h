/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the ring-0 kselftests: the payload's forms, and the fixture
 * that loads kml.ko around each test and decides whether this kernel
 * really runs marked programs at CPL 0. Loading, spawning payloads and
 * capturing their output are the common library's (../lib/kml_vmtest.h).
 *
 * Include after kselftest_harness.h. Every test program links ring0_lib.c
 * and ../lib/kml_vmtest.c.
 */
#ifndef KML_RING0_H
#define KML_RING0_H

#include <stdbool.h>

#include "kml_vmtest.h"

/* The payload's forms (see payload/payload.h), installed next to the tests. */
#define PAYLOAD_RING0 "ring0-payload"			/* marker enabled */
#define PAYLOAD_RING3 "ring0-payload.disabled"		/* marker disabled */
#define PAYLOAD_UNMARKED "ring0-payload.unmarked"	/* no marker */
#define PAYLOAD_RZ_RING0 "ring0-payload-redzone"	/* built without -mno-red-zone */
#define PAYLOAD_RZ_RING3 "ring0-payload-redzone.disabled"

/* The module's counters this suite reads (see README.md). */
#define KML_COUNTER_EXECS KML_SYSFS "/ring0_execs"
#define KML_COUNTER_TASKS KML_SYSFS "/ring0_tasks"
#define KML_COUNTER_REFUSED KML_SYSFS "/refused_eperm"

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
