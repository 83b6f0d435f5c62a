/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The loader's interface to the rest of kml.ko (kml/main.c): the exec
 * hook, the gate's life cycle and the exec counters. kml/main.c puts
 * these into the struct kml_exec_ops it registers with the core. Nothing
 * here calls back into kml/; loader/gate.h is the loader's own business.
 */
#ifndef _KML_LOADER_H
#define _KML_LOADER_H

#include <linux/atomic.h>
#include <linux/kml.h>
#include <linux/sysfs.h>

struct elf64_hdr;
struct elf64_phdr;
struct file;
struct linux_binprm;
struct vm_area_struct;

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

/* kml_exec_ops.exec_check (loader/exec.c): marker, policy, then the gate. */
int kml_loader_exec_check(struct linux_binprm *bprm,
			  const struct elf64_hdr *ehdr,
			  const struct elf64_phdr *phdrs);

/* The gate's load and unload (loader/gate.c), and its policy files. */
int kml_gate_init(void);
int kml_gate_seal_at_load(void);
void kml_gate_exit(void);
extern const struct attribute_group kml_gate_policy_group;

/* The rest of kml_exec_ops: what the gate holds for a started program. */
void kml_gate_program_start(const struct kml_program *prog,
			    struct linux_binprm *bprm);
void kml_gate_exec_abort(struct linux_binprm *bprm);
void kml_gate_program_exit(const struct kml_program *prog);
int kml_gate_mmap_check(const struct kml_program *prog, struct file *file,
			unsigned long prot, unsigned long flags);
int kml_gate_mmap_range_check(const struct kml_program *prog,
			      struct file *file, unsigned long pgoff,
			      unsigned long len);
int kml_gate_mprotect_check(const struct kml_program *prog,
			    struct vm_area_struct *vma, unsigned long prot);

#endif /* _KML_LOADER_H */
