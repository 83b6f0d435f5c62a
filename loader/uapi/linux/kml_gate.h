/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kml_gate.h - why code is refused ring 0: one table of named reasons.
 *
 * Included unchanged by kml.ko and by the C++ tools, so the same words
 * name a refusal everywhere: the kernel's log line, its per-reason
 * counters in /sys/kernel/kml/refused/, the errno of execve(), mmap() or
 * mprotect(), `kml verify` and `kml inspect`. As the eBPF verifier's log,
 * the names are part of the interface: never rename or renumber one; add
 * new reasons at the end.
 *
 * linux/kml_gate_reasons.h holds the table, one
 * KML_GATE_REASON(ID, name, errno, what) a reason:
 *   ID     the enum suffix (KML_GATE_<ID>)
 *   name   the word in logs, sysfs and the tools (a string literal)
 *   errno  what the refused system call returns (an E* name: a user of
 *          this column includes <errno.h> or <linux/errno.h> itself)
 *   what   one line for people
 */
#ifndef _UAPI_LINUX_KML_GATE_H
#define _UAPI_LINUX_KML_GATE_H

enum kml_gate_reason {
	KML_GATE_ALLOWED = 0,
#define KML_GATE_REASON(id, ...) KML_GATE_##id,
#include <linux/kml_gate_reasons.h>
#undef KML_GATE_REASON
	KML_GATE_NR_REASONS
};

#endif /* _UAPI_LINUX_KML_GATE_H */
