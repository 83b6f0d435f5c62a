// SPDX-License-Identifier: GPL-2.0
/*
 * kml.ko: Kernel Mode Linux for 6.12.
 *
 * The module owns everything that can live outside the core kernel: the
 * exec hook that recognises marked programs, the policy that decides
 * whether they may run at CPL 0, and the counters under /sys/kernel/kml/.
 * The core kernel only carries the mechanism (kml/patches/), reached through
 * <linux/kml.h>.
 *
 * It puts the loader's exec hook and gate (loader/loader.h) and its own
 * per-program report (programs.c) together into the struct kml_exec_ops it
 * registers with the core.
 *
 * State: the sysfs directory and the ended programs' report (programs.c,
 * its own lock). The directory is created once at load and removed once
 * at unload, both in process context under the module loader's
 * serialisation; the exec counters are the loader's atomics
 * (loader/exec.c), read here by sysfs. The core pins the
 * module while any ring-0 task exists, so it cannot be unloaded under one
 * (delete_module() fails with EAGAIN).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#ifndef CONFIG_KML
#error "kml.ko needs a kernel with the kml patch series and CONFIG_KML=y"
#endif

#include <linux/kml.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/sysfs.h>

#include "kml.h"
#include "loader/loader.h"

/* The hook ABI this module was written against; see <linux/kml.h>. */
#define KML_MODULE_ABI 6
#if KML_ABI_VERSION != KML_MODULE_ABI
#error "kernel tree and kml.ko disagree on KML_ABI_VERSION: rebuild both from one checkout"
#endif

static struct kobject *kml_kobj;

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", KML_VERSION);
}

static struct kobj_attribute version_attr = __ATTR_RO(version);

static ssize_t abi_show(struct kobject *kobj, struct kobj_attribute *attr,
			char *buf)
{
	return sysfs_emit(buf, "%d\n", KML_ABI_VERSION);
}

static struct kobj_attribute abi_attr = __ATTR_RO(abi);

static ssize_t ring0_tasks_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", kml_ring0_tasks());
}

static struct kobj_attribute ring0_tasks_attr = __ATTR_RO(ring0_tasks);

/* A read-only attribute showing one of kml_exec_stats. */
struct kml_counter_attr {
	struct kobj_attribute attr;
	atomic_long_t *counter;
};

static ssize_t counter_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct kml_counter_attr *ca =
		container_of(attr, struct kml_counter_attr, attr);

	return sysfs_emit(buf, "%ld\n", atomic_long_read(ca->counter));
}

static struct kml_counter_attr ring0_execs_attr = {
	.attr = __ATTR(ring0_execs, 0444, counter_show, NULL),
	.counter = &kml_exec_stats.ring0_execs,
};

static struct kml_counter_attr refused_eperm_attr = {
	.attr = __ATTR(refused_eperm, 0444, counter_show, NULL),
	.counter = &kml_exec_stats.refused_eperm,
};

static struct kml_counter_attr refused_enoexec_attr = {
	.attr = __ATTR(refused_enoexec, 0444, counter_show, NULL),
	.counter = &kml_exec_stats.refused_enoexec,
};

static struct attribute *kml_attrs[] = {
	&version_attr.attr,
	&abi_attr.attr,
	&ring0_tasks_attr.attr,
	&ring0_execs_attr.attr.attr,
	&refused_eperm_attr.attr.attr,
	&refused_enoexec_attr.attr.attr,
	&kml_programs_attr.attr,
	NULL,
};

static const struct attribute_group kml_attr_group = {
	.attrs = kml_attrs,
};

/* A started program's end: its report first, then what the gate held. */
static void kml_program_exit(const struct kml_program *prog)
{
	kml_programs_record_exit(prog);
	kml_gate_program_exit(prog);
}

static const struct kml_exec_ops kml_module_ops = {
	.abi = KML_ABI_VERSION,
	.owner = THIS_MODULE,
	.exec_check = kml_loader_exec_check,
	.program_start = kml_gate_program_start,
	.exec_abort = kml_gate_exec_abort,
	.program_exit = kml_program_exit,
	.mmap_check = kml_gate_mmap_check,
	.mmap_range_check = kml_gate_mmap_range_check,
	.mprotect_check = kml_gate_mprotect_check,
};

static int __init kml_init(void)
{
	int err;

	kml_kobj = kobject_create_and_add("kml", kernel_kobj);
	if (!kml_kobj)
		return -ENOMEM;

	err = sysfs_create_group(kml_kobj, &kml_attr_group);
	if (err)
		goto err_put;
	err = kml_gate_init();
	if (err)
		goto err_remove;

	/*
	 * Sealed (sealed=1) before anything can be approved, and the policy
	 * files after the load has set the policy: nothing races with it.
	 */
	err = kml_gate_seal_at_load();
	if (err)
		goto err_gate;
	err = sysfs_create_group(kml_kobj, &kml_gate_policy_group);
	if (err)
		goto err_gate;
	err = kml_register_exec_ops(&kml_module_ops);
	if (err)
		goto err_remove_policy;

	pr_info("version %s loaded (hook ABI %d)\n", KML_VERSION,
		KML_ABI_VERSION);
	return 0;

err_remove_policy:
	sysfs_remove_group(kml_kobj, &kml_gate_policy_group);
err_gate:
	kml_gate_exit();
err_remove:
	sysfs_remove_group(kml_kobj, &kml_attr_group);
err_put:
	kobject_put(kml_kobj);
	return err;
}

static void __exit kml_exit(void)
{
	kml_unregister_exec_ops(&kml_module_ops);
	sysfs_remove_group(kml_kobj, &kml_gate_policy_group);
	kml_gate_exit();
	sysfs_remove_group(kml_kobj, &kml_attr_group);
	kobject_put(kml_kobj);
	pr_info("unloaded\n");
}

module_init(kml_init);
module_exit(kml_exit);

MODULE_DESCRIPTION("Kernel Mode Linux: run marked programs at CPL 0");
MODULE_AUTHOR("kml developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(KML_VERSION);
