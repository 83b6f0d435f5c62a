/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kml.ko internals shared by its parts: the counters under /sys/kernel/kml/
 * and the exec hook (loader/exec.c).
 */
#ifndef _KML_KML_H
#define _KML_KML_H

#include <linux/atomic.h>
#include <linux/kml.h>

/*
 * What the exec hook decided, counted since the module was loaded. Plain
 * atomics: each is bumped once per exec and read by sysfs.
 */
struct kml_counters {
	atomic_long_t ring0_execs;	/* programs started at CPL 0 */
	atomic_long_t refused_eperm;	/* marked, but the caller may not */
	atomic_long_t refused_enoexec;	/* marked, but malformed or dynamic */
};

extern struct kml_counters kml_counters;
extern const struct kml_exec_ops kml_exec_ops;

#endif /* _KML_KML_H */
