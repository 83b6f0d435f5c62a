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
 * State: the sysfs directory below is the module's only state. It is
 * created once at load and removed once at unload, both in process context
 * under the module loader's serialisation, so it needs no locking of its
 * own; its attributes are read-only and stateless.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#if !__has_include(<linux/kml.h>)
#error "kml.ko needs a kernel tree carrying the kml patch series (kml/patches): <linux/kml.h> is missing"
#endif

#include <linux/kml.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/sysfs.h>

#if !IS_ENABLED(CONFIG_KML)
#error "kml.ko needs a kernel configured with CONFIG_KML=y"
#endif

/* The hook ABI this module was written against; see <linux/kml.h>. */
#define KML_MODULE_ABI 1
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

static struct attribute *kml_attrs[] = {
	&version_attr.attr,
	&abi_attr.attr,
	NULL,
};

static const struct attribute_group kml_attr_group = {
	.attrs = kml_attrs,
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

	pr_info("version %s loaded (hook ABI %d)\n", KML_VERSION,
		KML_ABI_VERSION);
	return 0;

err_put:
	kobject_put(kml_kobj);
	return err;
}

static void __exit kml_exit(void)
{
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
