// SPDX-License-Identifier: GPL-2.0
/*
 * kml.ko's exec hook: recognise the KML marker note (loader/uapi/linux/
 * kml_note.h, docs/marker.md) in an ELF program and decide whether it runs
 * at CPL 0. Like binfmt_misc, policy is data and every refusal an errno:
 *
 *   no marker, or marker disabled      -> runs as usual (ring 3)
 *   marker this kernel cannot read,
 *   or two marker notes                -> ENOEXEC
 *   enabled, but a dynamic program     -> ENOEXEC (static programs only)
 *   enabled, caller is not root        -> EPERM
 *   enabled, no approved manifest      -> refused by the gate (gate.c)
 *   enabled and approved               -> CPL 0
 *   enabled, with the bypass flag      -> CPL 0, bypass entry
 *
 * Every refusal is a named reason of linux/kml_gate.h (kml_gate_refuse()).
 *
 * The core calls kml_loader_exec_check() (kml/main.c registers it) for
 * every ELF exec, in the exec'ing task, before the point of no return; it
 * may sleep. It keeps no state of its own beyond kml_exec_stats.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/binfmts.h>
#include <linux/capability.h>
#include <linux/elf.h>
#include <linux/fs.h>
#include <linux/kml_gate.h>
#include <linux/kml_note.h>
#include <linux/security.h>
#include <linux/slab.h>

#include "gate.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

struct kml_exec_stats kml_exec_stats;

/* PT_NOTE segments hold a few small notes; read at most this much of one. */
#define KML_NOTE_SEGMENT_MAX	4096

/*
 * What the note segments say so far: the first marker seen, if any, and
 * where it is in the file. A second marker note elsewhere in the file,
 * even an identical one, makes the program ambiguous (docs/marker.md); the
 * same note seen through two PT_NOTEs counts once.
 */
struct kml_marker_scan {
	bool found;
	bool conflict;
	loff_t at;
	u32 descsz;
	struct kml_note note;
};

/*
 * Look for markers in one note segment's bytes, read from file offset
 * @seg. Offsets are from the segment's start, which the ELF gABI aligns to
 * p_align: the name follows the 12-byte header, the descriptor starts at
 * the next multiple of @align after the name, and so does the next note
 * after the descriptor (as libelf's and binfmt_elf's walks have it).
 */
static void kml_scan_notes(struct kml_marker_scan *scan, const u8 *buf,
			   size_t len, size_t align, loff_t seg)
{
	size_t off = 0;

	/* off never passes len, so len - off never wraps. */
	while (len - off >= sizeof(struct elf64_note)) {
		const struct elf64_note *nhdr = (const void *)(buf + off);
		size_t name = off + sizeof(*nhdr);
		size_t desc = ALIGN(name + nhdr->n_namesz, align);
		size_t next = ALIGN(desc + nhdr->n_descsz, align);
		struct kml_note note = {};

		if (desc > len || nhdr->n_descsz > len - desc)
			break;	/* truncated: no marker past this point */
		/* The last note's padding may end past the segment. */
		off = min(next, len);
		if (nhdr->n_type != NT_KML_MARKER ||
		    nhdr->n_namesz != KML_NOTE_NAMESZ ||
		    memcmp(buf + name, KML_NOTE_NAME, KML_NOTE_NAMESZ))
			continue;
		memcpy(&note, buf + desc,
		       min_t(size_t, nhdr->n_descsz, sizeof(note)));
		if (!scan->found) {
			scan->found = true;
			scan->at = seg + name - sizeof(*nhdr);
			scan->descsz = nhdr->n_descsz;
			scan->note = note;
		} else if (scan->at != seg + name - sizeof(*nhdr)) {
			scan->conflict = true;
		}
	}
}

/* Why kml_note_decide() refused @note: the marker reasons of kml_gate.h. */
static enum kml_gate_reason kml_marker_reason(const struct kml_marker_scan *scan)
{
	if (scan->conflict)
		return KML_GATE_MARKER_CONFLICT;
	if (scan->descsz < KML_NOTE_MIN_DESCSZ)
		return KML_GATE_MARKER_TOO_SHORT;
	if (scan->note.version == 0 || scan->note.version > KML_NOTE_VERSION)
		return KML_GATE_MARKER_NEWER_VERSION;
	return KML_GATE_MARKER_UNKNOWN_FLAG;
}

/*
 * The marker's verdict; *flags gets the marker's flags when it has one,
 * *reason why it is refused (KML_NOTE_REFUSE), or -ENOMEM.
 */
static int kml_find_marker(struct linux_binprm *bprm,
			   const struct elf64_hdr *ehdr,
			   const struct elf64_phdr *phdrs, bool *found, u32 *flags,
			   enum kml_gate_reason *reason)
{
	struct kml_marker_scan scan = {};
	enum kml_note_verdict verdict;
	u8 *buf;
	int i;

	buf = kmalloc(KML_NOTE_SEGMENT_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	for (i = 0; i < ehdr->e_phnum; i++) {
		const struct elf64_phdr *ph = &phdrs[i];
		size_t len = min_t(u64, ph->p_filesz, KML_NOTE_SEGMENT_MAX);
		loff_t pos = ph->p_offset;

		if (ph->p_type != PT_NOTE || !len)
			continue;
		if (kernel_read(bprm->file, buf, len, &pos) != len)
			continue;	/* unreadable notes hold no marker */
		kml_scan_notes(&scan, buf, len, ph->p_align == 8 ? 8 : 4,
			       ph->p_offset);
	}
	kfree(buf);

	*found = scan.found;
	if (!scan.found)
		return KML_NOTE_RUN_NORMAL;
	verdict = scan.conflict ? KML_NOTE_REFUSE :
		  kml_note_decide(&scan.note, scan.descsz);
	if (verdict == KML_NOTE_REFUSE)
		*reason = kml_marker_reason(&scan);
	*flags = scan.note.flags;
	return verdict;
}

static bool kml_is_dynamic(const struct elf64_hdr *ehdr,
			   const struct elf64_phdr *phdrs)
{
	int i;

	for (i = 0; i < ehdr->e_phnum; i++)
		if (phdrs[i].p_type == PT_INTERP)
			return true;
	return false;
}

/*
 * What of the program's own memory would be writable and executable at
 * CPL 0, or NULL: the stack (the ELF loader obeys the last PT_GNU_STACK),
 * a segment both writable and executable, or the bss of an executable
 * segment (anonymous memory the loader maps executable).
 */
static const char *kml_writable_code(const struct elf64_hdr *ehdr,
				     const struct elf64_phdr *phdrs)
{
	bool exec_stack = false;
	int i;

	for (i = 0; i < ehdr->e_phnum; i++) {
		const struct elf64_phdr *ph = &phdrs[i];

		if (ph->p_type == PT_GNU_STACK)
			exec_stack = ph->p_flags & PF_X;
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		if (ph->p_flags & PF_W)
			return "a writable and executable segment";
		if (ph->p_memsz > ph->p_filesz)
			return "an executable segment with a bss";
	}
	return exec_stack ? "an executable stack (PT_GNU_STACK)" : NULL;
}

/* What kml_exec_decide() decided, for the kml_exec trace event. */
struct kml_exec_decision {
	bool marked;		/* the program has a marker note */
	bool bypass_off;	/* asked for the bypass, which is unavailable */
	struct kml_exec_verdict v;
};

static int kml_exec_refuse(struct linux_binprm *bprm,
			   struct kml_exec_decision *d,
			   enum kml_gate_reason reason, const char *detail)
{
	d->v.reason = reason;
	return kml_gate_refuse(bprm->filename, reason, detail);
}

static int kml_exec_decide(struct linux_binprm *bprm,
			   const struct elf64_hdr *ehdr,
			   const struct elf64_phdr *phdrs,
			   struct kml_exec_decision *d)
{
	enum kml_gate_reason reason = KML_GATE_ALLOWED;
	const char *writable_code, *bypass_off;
	u32 flags = 0;
	int ret;

	ret = kml_find_marker(bprm, ehdr, phdrs, &d->marked, &flags, &reason);
	switch (ret) {
	case KML_NOTE_RUN_NORMAL:
		return 0;
	case KML_NOTE_REFUSE:
		atomic_long_inc(&kml_exec_stats.refused_enoexec);
		return kml_exec_refuse(bprm, d, reason, NULL);
	case KML_NOTE_RUN_KML:
		break;
	default:
		return ret;
	}
	/*
	 * Under lockdown root may not change the running kernel: only a
	 * sealed gate's verdicts stand then (docs/gate.md, "Sealed").
	 */
	if (security_locked_down(LOCKDOWN_KML) && !kml_gate_sealed())
		return kml_exec_refuse(bprm, d, KML_GATE_NOT_SEALED, NULL);
	if (kml_is_dynamic(ehdr, phdrs)) {
		atomic_long_inc(&kml_exec_stats.refused_enoexec);
		return kml_exec_refuse(bprm, d, KML_GATE_DYNAMIC, NULL);
	}
	writable_code = kml_writable_code(ehdr, phdrs);
	if (writable_code)
		return kml_exec_refuse(bprm, d, KML_GATE_ANONYMOUS_EXEC,
				       writable_code);
	/* Before the signature: others may not make the kernel hash files. */
	if (!kml_gate_may_exec()) {
		atomic_long_inc(&kml_exec_stats.refused_eperm);
		return kml_exec_refuse(bprm, d, KML_GATE_UNPRIVILEGED,
				       "only root and /sys/kernel/kml/exec_group may run programs at ring 0");
	}
	ret = kml_gate_check_exec(bprm, flags, ehdr, phdrs, &d->v);
	if (ret)
		return ret;
	atomic_long_inc(&kml_exec_stats.ring0_execs);
	if (!(flags & KML_NOTE_F_BYPASS))
		return KML_EXEC_RING0;
	/*
	 * The marker asks for the bypass entry (docs/syscall-shim.md). This
	 * is the one place that decides whether it gets it; the core says
	 * what it cannot offer, and refuses an exec that asks anyway.
	 */
	bypass_off = kml_bypass_unavailable();
	if (bypass_off) {
		pr_notice_ratelimited("%s: no bypass entry (%s): the getters take the direct entry\n",
				      bprm->filename, bypass_off);
		d->bypass_off = true;
		return KML_EXEC_RING0;
	}
	return KML_EXEC_BYPASS;
}

/* The kml_exec event for a marked program's exec that returned @ret. */
static void kml_trace_exec(struct linux_binprm *bprm, int ret,
			   const struct kml_exec_decision *d)
{
	const char *verdict = "ring0", *why;

	if (ret < 0) {
		verdict = "refused";
		why = d->v.reason == KML_GATE_ALLOWED ? "error" :
		      kml_gate_reason_name(d->v.reason);
	} else if (ret == 0) {
		verdict = "ring3";
		why = "marker-disabled";
	} else {
		if (ret == KML_EXEC_BYPASS)
			verdict = "ring0-bypass";
		if (d->bypass_off)
			why = "bypass-unavailable";
		else if (d->v.unsigned_dev)
			why = "development-mode";
		else
			why = d->v.listed ? "approved-list" : "signed-manifest";
	}
	trace_kml_exec(bprm->filename, verdict, why, d->v.assurance ?: "",
		       ret < 0 ? ret : 0);
}

int kml_loader_exec_check(struct linux_binprm *bprm,
			  const struct elf64_hdr *ehdr,
			  const struct elf64_phdr *phdrs)
{
	struct kml_exec_decision d = { .v.reason = KML_GATE_ALLOWED };
	int ret = kml_exec_decide(bprm, ehdr, phdrs, &d);

	if (d.marked && trace_kml_exec_enabled())
		kml_trace_exec(bprm, ret, &d);
	return ret;
}
