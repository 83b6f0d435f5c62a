/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between the loader's own files: the exec hook (exec.c), the gate
 * (gate.c), its signature checks (signer.c) and its approved lists
 * (approvals.c). The rest of kml.ko sees only loader.h.
 */
#ifndef _KML_LOADER_GATE_H
#define _KML_LOADER_GATE_H

#include <crypto/sha2.h>
#include <linux/kml.h>
#include <linux/kml_gate.h>
#include <linux/kobject.h>

#include "loader.h"

/* The gate (gate.c): signed manifests, policy, refusal reasons. */
struct key;
/*
 * What kml_gate_check_exec() found, for the exec decision's trace event:
 * the reason it refused, or the approval's assurance ("unsigned" in
 * development mode) and what approved it.
 */
struct kml_exec_verdict {
	enum kml_gate_reason reason;
	const char *assurance;
	bool listed;		/* a loaded approval list */
	bool unsigned_dev;	/* nothing: development mode let it in */
};

int kml_gate_check_exec(struct linux_binprm *bprm, u32 marker_flags,
			const struct elf64_hdr *ehdr,
			const struct elf64_phdr *phdrs,
			struct kml_exec_verdict *v);
/*
 * Count, trace and log a refusal of @filename as a @kind ("exec",
 * "list"); returns the reason's -errno. kml_gate_refuse() is for execs.
 */
int kml_gate_refuse_as(const char *kind, const char *filename,
		       enum kml_gate_reason reason, const char *detail);
int kml_gate_refuse(const char *filename, enum kml_gate_reason reason,
		    const char *detail);
const char *kml_gate_reason_name(enum kml_gate_reason reason);
/*
 * Who signed an appended signature, for keeping its verdict
 * (signer.c): the keyring whose key matched, if kml.ko can ask it
 * again, the signer's issuer and serial number, and, if the message
 * carries its certificate, the SHA-256 of the certificate's to-be-signed
 * part and of its public key.
 */
enum kml_signer_anchor {
	KML_SIGNER_NONE,	/* verify every time */
	KML_SIGNER_BUILTIN,	/* the built-in keyring: fixed while up */
	KML_SIGNER_KML,		/* kml's ".kml" keyring: asked again */
};

#define KML_SIGNER_ID_MAX 256

struct kml_signer {
	enum kml_signer_anchor anchor;
	s32 key_serial;		/* KML_SIGNER_KML: the key that verified */
	bool has_cert;		/* the message carries the signer's certificate */
	u16 serial_len;
	u16 issuer_len;
	u8 tbs[SHA256_DIGEST_SIZE];	/* its to-be-signed part's SHA-256 */
	u8 key[SHA256_DIGEST_SIZE];	/* its public key's SHA-256 */
	u8 id[KML_SIGNER_ID_MAX];	/* serial, issuer: their contents */
};

int kml_signer_parse(const void *msg, size_t len, struct kml_signer *s);
void kml_signer_anchor(struct kml_signer *s, enum kml_signer_anchor anchor,
		       struct key *keyring);
bool kml_signer_revoked(const struct kml_signer *s);
int kml_signer_recheck(const struct kml_signer *s, struct key *keyring);

int kml_gate_verify_signed(const void *sig, size_t sig_len,
			   int (*view)(void *ctx, const void *data, size_t len,
				       size_t asn1hdrlen),
			   void *ctx, enum kml_signer_anchor *anchor);
bool kml_gate_generation_ok(u64 generation);
bool kml_gate_may_exec(void);
bool kml_gate_sealed(void);

/* Signed lists of files approved as they are (approvals.c). */
struct kml_manifest_header;
struct kml_manifest_entry;
bool kml_approvals_any(void);
bool kml_approvals_find(const u8 *digest, u64 length,
			struct kml_manifest_header *header,
			struct kml_manifest_entry *entry);
void kml_approvals_exit(void);
extern struct kobj_attribute kml_approvals_attr;

#endif /* _KML_LOADER_GATE_H */
