// SPDX-License-Identifier: GPL-2.0
/* The ring-0 kselftests' fixture; see ring0.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ring0.h"

bool ring0_required(void)
{
	const char *env = getenv("KML_REQUIRE_RING0");

	return env && *env && strcmp(env, "0");
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
		if (c.exec_errno)
			snprintf(env->why, sizeof(env->why),
				 "exec of a marked payload failed: %s; %s",
				 strerror(c.exec_errno), module);
		else
			snprintf(env->why, sizeof(env->why),
				 "the marked cpl probe did not finish; %s", module);
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
	int ret;

	children_kill_all();
	if (!env->loaded_by_us)
		return 0;
	ret = kml_unload_wait(5000);
	env->loaded_by_us = ret != 0;
	return ret;
}
