/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kml_note.h - the Kernel Mode Linux marker: an ELF note that asks the
 * kernel to run a static x86-64 program at CPL 0.
 *
 * This header is the single definition of the format. The kml patch
 * series adds it to the kernel's UAPI (include/uapi/linux), where kml.ko
 * finds it; kml's C++ tools include an identical copy, which the kernel
 * build checks. It holds only C with kernel UAPI types. docs/marker.md
 * explains the design.
 *
 * Layout in the file (ELF64 note, 4-byte aligned, reachable through a
 * PT_NOTE program header; section headers are never needed):
 *
 *   Elf64_Nhdr { n_namesz = 4, n_descsz = sizeof(struct kml_note),
 *                n_type = NT_KML_MARKER }
 *   name "KML\0"                      (4 bytes, no padding needed)
 *   desc struct kml_note              (n_descsz bytes, multiple of 4)
 */
#ifndef _UAPI_LINUX_KML_NOTE_H
#define _UAPI_LINUX_KML_NOTE_H

#include <linux/types.h>

/* Note owner, including the terminating NUL counted by n_namesz. */
#define KML_NOTE_NAME "KML"
#define KML_NOTE_NAMESZ 4

/* Note type of the marker within the "KML" owner namespace. */
#define NT_KML_MARKER 1

/*
 * Format version. Bumped only for an incompatible change: a kernel refuses
 * an enabled marker whose version is newer than the one it knows (ENOEXEC)
 * rather than guessing what it means. Compatible additions use the
 * reserved words (which older readers ignore) and need no bump.
 */
#define KML_NOTE_VERSION 1

/* The program runs in kernel mode. Clear: the program runs as today. */
#define KML_NOTE_F_ENABLE (1U << 0)
/*
 * The program opts in to the bypass entry: with ENABLE also set, the
 * kernel answers getpid, getppid and gettid made through the direct entry
 * without the generic entry code. The price: such a call clobbers the
 * status flags and r11, which the direct entry otherwise keeps
 * (docs/syscall-shim.md).
 * Set by `kml mark --bypass` and `kml bypass on`; a kernel without the
 * bypass entry ignores it.
 */
#define KML_NOTE_F_BYPASS (1U << 1)
/* Every flag a version-1 reader understands; others make it refuse. */
#define KML_NOTE_F_KNOWN (KML_NOTE_F_ENABLE | KML_NOTE_F_BYPASS)

/*
 * The descriptor. version and flags stay at offsets 0 and 4 in every
 * version, and KML_NOTE_F_ENABLE stays bit 0, so any reader can tell a
 * disabled marker from an enabled one without understanding the rest.
 * Writers zero the reserved words; version-1 readers ignore them.
 */
struct kml_note {
	__u32 version;
	__u32 flags;
	__u32 reserved[6];
};

/* The smallest descriptor a reader accepts: version and flags. */
#define KML_NOTE_MIN_DESCSZ 8

/* What the exec path does with a program, see kml_note_decide(). */
enum kml_note_verdict {
	KML_NOTE_RUN_NORMAL = 0, /* no marker, or marker with ENABLE clear */
	KML_NOTE_RUN_KML = 1,    /* enabled marker this kernel understands */
	KML_NOTE_REFUSE = 2      /* enabled but not understood: ENOEXEC */
};

/*
 * The reader rule, written once so the kernel and the tools agree.
 * Before calling it: a program with no marker (no note with owner "KML"
 * and type NT_KML_MARKER in any PT_NOTE) runs as today, and one with two
 * distinct markers is refused (ENOEXEC) rather than picking one.
 * desc points at the first descsz bytes of the note descriptor (descsz may
 * be shorter or longer than struct kml_note; only the first 8 bytes are
 * read). A descriptor too short to hold version and flags is refused: it
 * claims to be a marker but is broken.
 */
static inline enum kml_note_verdict
kml_note_decide(const struct kml_note *desc, __u32 descsz)
{
	if (descsz < KML_NOTE_MIN_DESCSZ)
		return KML_NOTE_REFUSE;
	if (!(desc->flags & KML_NOTE_F_ENABLE))
		return KML_NOTE_RUN_NORMAL;
	if (desc->version == 0 || desc->version > KML_NOTE_VERSION)
		return KML_NOTE_REFUSE;
	if (desc->flags & ~KML_NOTE_F_KNOWN)
		return KML_NOTE_REFUSE;
	return KML_NOTE_RUN_KML;
}

#endif /* _UAPI_LINUX_KML_NOTE_H */
