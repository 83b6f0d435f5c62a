/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kml_gate_reasons.h - the table of the gate's refusal reasons, one
 * KML_GATE_REASON(ID, name, errno, what) a reason (see linux/kml_gate.h).
 *
 * No include guard, as <linux/lsm_hook_defs.h>: define KML_GATE_REASON,
 * include this file, undefine it. Never rename or renumber a reason; add
 * new ones at the end.
 */
KML_GATE_REASON(UNSIGNED, "unsigned", EACCES,
		"no signed manifest covers the file")
KML_GATE_REASON(BAD_SIGNATURE, "bad-signature", EKEYREJECTED,
		"the signature does not verify or is malformed")
KML_GATE_REASON(UNKNOWN_KEY, "unknown-key", ENOKEY,
		"signed by a key in no trusted keyring")
KML_GATE_REASON(REVOKED, "revoked", EKEYREVOKED,
		"the key or the file's digest is blacklisted")
KML_GATE_REASON(TAMPERED, "tampered", EBADMSG,
		"the file is not the bytes the manifest covers")
KML_GATE_REASON(BAD_MANIFEST, "bad-manifest", EBADMSG,
		"the signed content is not a manifest this kernel knows")
KML_GATE_REASON(STALE_GENERATION, "stale-generation", EKEYEXPIRED,
		"the manifest's generation is below min_generation")
KML_GATE_REASON(ASSURANCE_TOO_LOW, "assurance-too-low", EACCES,
		"the manifest's assurance is below min_assurance")
KML_GATE_REASON(NOT_RING0, "not-ring0", EACCES,
		"the manifest does not approve the file for ring 0")
KML_GATE_REASON(BYPASS_NOT_ALLOWED, "bypass-not-allowed", EPERM,
		"the bypass entry is asked for and not approved or allowed")
KML_GATE_REASON(UNAPPROVED_MAPPING, "unapproved-mapping", EACCES,
		"a ring-0 task mapped unapproved code executable")
KML_GATE_REASON(ANONYMOUS_EXEC, "anonymous-exec", EACCES,
		"a ring-0 task asked for executable anonymous or written memory")
KML_GATE_REASON(UNPRIVILEGED, "unprivileged", EPERM,
		"the caller may not run programs at ring 0")
KML_GATE_REASON(DYNAMIC, "dynamic", ENOEXEC,
		"a dynamic program, and no interpreter is approved")
KML_GATE_REASON(MARKER_TOO_SHORT, "marker-too-short", ENOEXEC,
		"the KML marker is too short to hold version and flags")
KML_GATE_REASON(MARKER_NEWER_VERSION, "marker-newer-version", ENOEXEC,
		"the KML marker's version is newer than this kernel's")
KML_GATE_REASON(MARKER_UNKNOWN_FLAG, "marker-unknown-flag", ENOEXEC,
		"the KML marker sets a flag this kernel does not know")
KML_GATE_REASON(MARKER_CONFLICT, "marker-conflict", ENOEXEC,
		"the file holds two different KML markers")
KML_GATE_REASON(BUSY, "busy", ETXTBSY,
		"the file is open for writing: code at ring 0 must not change")
KML_GATE_REASON(UNSAFE_FS, "unsafe-file-system", EACCES,
		"its file system can change the file's pages without a write to it")
KML_GATE_REASON(NOT_SEALED, "not-sealed", EPERM,
		"the kernel is locked down and kml's gate is not sealed")
