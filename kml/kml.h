/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kml.ko's own part (kml/): the module's load and sysfs directory
 * (main.c) and the per-program report (programs.c). It sits on top of the
 * loader (loader/loader.h) and the core (<linux/kml.h>); nothing below
 * includes this file.
 */
#ifndef _KML_KML_H
#define _KML_KML_H

#include <linux/kml.h>
#include <linux/sysfs.h>

/* /sys/kernel/kml/programs (programs.c) */
extern struct kobj_attribute kml_programs_attr;
void kml_programs_record_exit(const struct kml_program *prog);

#endif /* _KML_KML_H */
