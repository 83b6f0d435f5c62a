// SPDX-License-Identifier: GPL-2.0
/*
 * kml_verdict.ko: a stand-in for kml.ko that answers exec_check() with
 * whatever verdict it is told, for one file, so that the in-VM tests can
 * check what the kernel does with a verdict kml.ko would never give.
 * Only a test image holds it.
 *
 * path=    the file (as the exec names it) that gets the verdict; every
 *          other exec runs as usual
 * verdict= the value exec_check() returns for it; writable at run time
 * aborts   (read-only) how often the kernel called exec_abort() after
 *          exec_check() returned a positive value
 */
#include <linux/atomic.h>
#include <linux/binfmts.h>
#include <linux/kml.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>

static char *path;
module_param(path, charp, 0444);
MODULE_PARM_DESC(path, "the file whose exec gets the verdict");

static int verdict;
module_param(verdict, int, 0644);
MODULE_PARM_DESC(verdict, "exec_check()'s answer for that file");

static atomic_t aborts = ATOMIC_INIT(0);

static int aborts_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&aborts));
}

static const struct kernel_param_ops aborts_ops = {
	.get = aborts_get,
};
module_param_cb(aborts, &aborts_ops, NULL, 0444);
MODULE_PARM_DESC(aborts, "exec_abort() calls so far");

static int kml_verdict_exec_check(struct linux_binprm *bprm,
				  const struct elf64_hdr *ehdr,
				  const struct elf64_phdr *phdrs)
{
	if (!path || strcmp(bprm->filename, path))
		return 0;
	return READ_ONCE(verdict);
}

static void kml_verdict_exec_abort(struct linux_binprm *bprm)
{
	atomic_inc(&aborts);
}

/* The program it starts maps what it likes: the tests only exec it. */
static int kml_verdict_mmap_check(const struct kml_program *prog,
				  struct file *file, unsigned long prot,
				  unsigned long flags)
{
	return 0;
}

static int kml_verdict_mmap_range_check(const struct kml_program *prog,
					struct file *file, unsigned long pgoff,
					unsigned long len)
{
	return 0;
}

static int kml_verdict_mprotect_check(const struct kml_program *prog,
				      struct vm_area_struct *vma,
				      unsigned long prot)
{
	return 0;
}

static const struct kml_exec_ops kml_verdict_ops = {
	.abi = KML_ABI_VERSION,
	.owner = THIS_MODULE,
	.exec_check = kml_verdict_exec_check,
	.exec_abort = kml_verdict_exec_abort,
	.mmap_check = kml_verdict_mmap_check,
	.mmap_range_check = kml_verdict_mmap_range_check,
	.mprotect_check = kml_verdict_mprotect_check,
};

static int __init kml_verdict_init(void)
{
	return kml_register_exec_ops(&kml_verdict_ops);
}

static void __exit kml_verdict_exit(void)
{
	kml_unregister_exec_ops(&kml_verdict_ops);
}

module_init(kml_verdict_init);
module_exit(kml_verdict_exit);
MODULE_DESCRIPTION("kml test: exec_check() answers a set verdict");
MODULE_LICENSE("GPL");
