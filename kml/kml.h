/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kml.ko internals shared by its parts: the counters under /sys/kernel/kml/,
 * the exec hook (loader/exec.c) and the per-program report (programs.c).
 */
#ifndef _KML_KML_H
#define _KML_KML_H

#include <linux/atomic.h>
#include <linux/kml.h>
#include <linux/kml_gate.h>
#include <linux/kobject.h>

/*
 * What the exec hook decided, counted since the module was loaded. Plain
 * atomics: each is bumped once per exec and read by sysfs.
 */
struct kml_exec_stats {
	atomic_long_t ring0_execs;	/* programs started at CPL 0 */
	atomic_long_t refused_eperm;	/* marked, but the caller may not */
	atomic_long_t refused_enoexec;	/* marked, but malformed or dynamic */
};

extern struct kml_exec_stats kml_exec_stats;
extern const struct kml_exec_ops kml_exec_ops;

/* The gate (loader/gate.c): signed manifests, policy, refusal reasons. */
struct linux_binprm;
int kml_gate_init(void);
void kml_gate_exit(void);
int kml_gate_check_exec(struct linux_binprm *bprm, u32 marker_flags);
int kml_gate_refuse(const char *filename, enum kml_gate_reason reason,
		    const char *detail);
const char *kml_gate_reason_name(enum kml_gate_reason reason);
extern const struct attribute_group kml_gate_policy_group;

/* /sys/kernel/kml/programs (programs.c) */
extern struct kobj_attribute kml_programs_attr;
void kml_program_exit(const struct kml_program *prog);

#endif /* _KML_KML_H */
