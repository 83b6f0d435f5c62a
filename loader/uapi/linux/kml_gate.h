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
 * KML_GATE_REASONS(X) calls X(ID, name, errno, what) once a reason:
 *   ID     the enum suffix (KML_GATE_<ID>)
 *   name   the word in logs, sysfs and the tools (a string literal)
 *   errno  what the refused system call returns (an E* name: a user of
 *          this column includes <errno.h> or <linux/errno.h> itself)
 *   what   one line for people
 */
#ifndef _UAPI_LINUX_KML_GATE_H
#define _UAPI_LINUX_KML_GATE_H

#define KML_GATE_REASONS(X)						\
	X(UNSIGNED, "unsigned", EACCES,					\
	  "no signed manifest covers the file")				\
	X(BAD_SIGNATURE, "bad-signature", EKEYREJECTED,			\
	  "the signature does not verify or is malformed")		\
	X(UNKNOWN_KEY, "unknown-key", ENOKEY,				\
	  "signed by a key in no trusted keyring")			\
	X(REVOKED, "revoked", EKEYREVOKED,				\
	  "the key or the file's digest is blacklisted")		\
	X(TAMPERED, "tampered", EBADMSG,				\
	  "the file is not the bytes the manifest covers")		\
	X(BAD_MANIFEST, "bad-manifest", EBADMSG,			\
	  "the signed content is not a manifest this kernel knows")	\
	X(STALE_GENERATION, "stale-generation", EKEYEXPIRED,		\
	  "the manifest's generation is below min_generation")		\
	X(ASSURANCE_TOO_LOW, "assurance-too-low", EACCES,		\
	  "the manifest's assurance is below min_assurance")		\
	X(NOT_RING0, "not-ring0", EACCES,				\
	  "the manifest does not approve the file for ring 0")		\
	X(BYPASS_NOT_ALLOWED, "bypass-not-allowed", EPERM,		\
	  "the bypass entry is asked for and not approved or allowed")	\
	X(UNAPPROVED_MAPPING, "unapproved-mapping", EACCES,		\
	  "a ring-0 task mapped unapproved code executable")		\
	X(ANONYMOUS_EXEC, "anonymous-exec", EACCES,			\
	  "a ring-0 task asked for executable anonymous or written memory") \
	X(UNPRIVILEGED, "unprivileged", EPERM,				\
	  "the caller may not run programs at ring 0")			\
	X(DYNAMIC, "dynamic", ENOEXEC,					\
	  "a dynamic program, and no interpreter is approved")		\
	X(MARKER_TOO_SHORT, "marker-too-short", ENOEXEC,		\
	  "the KML marker is too short to hold version and flags")	\
	X(MARKER_NEWER_VERSION, "marker-newer-version", ENOEXEC,	\
	  "the KML marker's version is newer than this kernel's")	\
	X(MARKER_UNKNOWN_FLAG, "marker-unknown-flag", ENOEXEC,		\
	  "the KML marker sets a flag this kernel does not know")	\
	X(MARKER_CONFLICT, "marker-conflict", ENOEXEC,			\
	  "the file holds two different KML markers")

enum kml_gate_reason {
	KML_GATE_ALLOWED = 0,
#define KML_GATE_ENUM(id, name, err, what) KML_GATE_##id,
	KML_GATE_REASONS(KML_GATE_ENUM)
#undef KML_GATE_ENUM
	KML_GATE_NR_REASONS
};

#endif /* _UAPI_LINUX_KML_GATE_H */
