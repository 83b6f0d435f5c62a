/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kml_manifest.h - the approval of code that may run at CPL 0: a signed
 * manifest, and how it travels with a program.
 *
 * The single definition of the format, included unchanged by kml.ko (C,
 * Kbuild) and by the C++ tools (`kml sign`, `kml verify`, `kml inspect`),
 * so it holds only C with kernel UAPI types. docs/gate.md explains the
 * trust chain.
 *
 * A manifest is a small binary structure, every integer little-endian:
 *
 *   struct kml_manifest_header
 *   struct kml_manifest_entry[entry_count]
 *
 * It is the content of a PKCS#7 (CMS) signed-data message: content type
 * id-data, the content embedded, SHA-256, no signed attributes; what
 * `openssl cms -sign -binary -nodetach -noattr -md sha256 -outform DER`
 * makes, and what the kernel's verify_pkcs7_signature() checks with
 * VERIFYING_UNSPECIFIED_SIGNATURE. The magic keeps a manifest apart from
 * anything else the same key signs.
 *
 * Appended to a program, in the layout module signing uses (the kernel
 * reads it from the end of the file):
 *
 *   [covered bytes: the program]                  entry.length bytes
 *   [PKCS#7 signed-data, DER]                     info.sig_len bytes
 *   [struct kml_sig_info]                          12 bytes
 *   [KML_SIG_MAGIC]                                 24 bytes, no NUL
 *
 * The manifest of an appended signature has exactly one entry, role
 * PROGRAM, whose length is the offset of the PKCS#7 message and whose
 * digest is the SHA-256 of the bytes before it.
 *
 * An approval list approves files that must stay unmodified (a
 * distribution's programs, loaders and libraries), so it cannot travel
 * with them. It is a file of its own, at most KML_APPROVALS_MAX_LEN
 * bytes, that is exactly one PKCS#7 signed-data message in DER, signed as
 * above, with nothing before or after it. Its manifest has
 * 1..KML_MANIFEST_MAX_ENTRIES entries; each covers a whole file:
 *
 *   digest           SHA-256 of the whole file
 *   length           the file's size
 *   role             PROGRAM (an executable: ET_EXEC, or ET_DYN marked
 *                    DF_1_PIE, or ET_DYN with PT_INTERP and no DT_SONAME),
 *                    INTERPRETER (a dynamic loader: ET_DYN without
 *                    PT_INTERP whose DT_SONAME starts with "ld-linux" or
 *                    "ld64", or named as one by the administrator),
 *                    LIBRARY (any other ET_DYN, glibc's libc.so.6 with its
 *                    PT_INTERP included)
 *   flags            RING0, and BYPASS if asked for
 *   assurance        TRUSTED (`kml sign --list` makes nothing else: no
 *                    check can vouch for an unmodified distribution file)
 *   ruleset_version  0
 *   attestation      zero
 *
 * The entries are sorted by digest (memcmp order), strictly: no two
 * entries have the same digest, so a reader can search the list and no
 * content has two roles. kml_approvals_check() is the reader rule.
 *
 * Root loads a list by writing its absolute path, one line ending in
 * "\n", to /sys/kernel/kml/approvals; kml.ko reads the file itself
 * (kernel_read_file_from_path()), verifies it with
 * verify_pkcs7_signature() against the same keyrings as a program's
 * signature, and the write fails with EACCES or EPERM (not permitted, or
 * the policy is locked), ENOKEY (a key the kernel does not trust),
 * EBADMSG or EKEYREJECTED (not an approval list, or a bad signature),
 * EKEYEXPIRED (generation below /sys/kernel/kml/min_generation, the
 * errno of stale-generation), EFBIG (over
 * KML_APPROVALS_MAX_LEN) or ENOENT (no such file). Reading the file gives
 * one line per loaded list. `kml sign --list` makes a list, `kml approve`
 * loads it, `kml verify --list` checks files against it.
 */
#ifndef _UAPI_LINUX_KML_MANIFEST_H
#define _UAPI_LINUX_KML_MANIFEST_H

#include <linux/types.h>
#include <asm/byteorder.h>

#define KML_MANIFEST_MAGIC "KMLMANIF"
#define KML_MANIFEST_MAGIC_LEN 8

/* Bumped only for an incompatible change; readers refuse newer ones. */
#define KML_MANIFEST_VERSION 1

/* The trailer at the very end of a signed program. */
#define KML_SIG_MAGIC "~kml manifest appended~\n"
#define KML_SIG_MAGIC_LEN 24

/* struct kml_sig_info.id_type: the signature is PKCS#7 (as PKEY_ID_PKCS7). */
#define KML_SIG_ID_PKCS7 2

/*
 * The info block before the trailer, the same 12 bytes as struct
 * module_signature: only id_type and sig_len are used, the rest is zero.
 * sig_len is big-endian, as in module signing.
 */
struct kml_sig_info {
	__u8 algo;		/* 0 */
	__u8 hash;		/* 0 */
	__u8 id_type;		/* KML_SIG_ID_PKCS7 */
	__u8 signer_len;	/* 0 */
	__u8 key_id_len;	/* 0 */
	__u8 pad[3];		/* 0 */
	__be32 sig_len;		/* bytes of the PKCS#7 message */
};

/*
 * Refuse anything larger: a manifest for one program is 120 bytes; a list
 * of approved files (loaded through /sys/kernel/kml/approvals) may hold
 * up to KML_MANIFEST_MAX_ENTRIES entries.
 */
#define KML_MANIFEST_MAX_ENTRIES 4096
#define KML_SIG_MAX_LEN (64 * 1024)

/*
 * The largest approval list file: room for KML_MANIFEST_MAX_ENTRIES
 * entries (360 KiB of manifest) with the signer's certificate and the
 * signature, and a bound on what the kernel reads from a path.
 */
#define KML_APPROVALS_MAX_LEN (512 * 1024)

struct kml_manifest_header {
	char magic[KML_MANIFEST_MAGIC_LEN];	/* KML_MANIFEST_MAGIC */
	__le16 version;		/* KML_MANIFEST_VERSION */
	__le16 header_size;	/* sizeof(struct kml_manifest_header) */
	__le16 entry_size;	/* sizeof(struct kml_manifest_entry) */
	__le16 entry_count;	/* 1..KML_MANIFEST_MAX_ENTRIES */
	/*
	 * Against rollback: the kernel refuses a manifest whose generation
	 * is below /sys/kernel/kml/min_generation, which root can only raise.
	 */
	__le64 generation;
	__le32 reserved[2];	/* 0 */
};

/* entry.digest_algo */
#define KML_DIGEST_SHA256 1
#define KML_DIGEST_SIZE 32

/* entry.role: what the covered bytes are. */
enum kml_manifest_role {
	KML_ROLE_PROGRAM = 1,		/* an executable, exec'd */
	KML_ROLE_INTERPRETER = 2,	/* a dynamic loader (PT_INTERP) */
	KML_ROLE_LIBRARY = 3,		/* a file mapped executable */
};

/*
 * entry.assurance: what vouches for the code, weakest first. The kernel
 * compares it with /sys/kernel/kml/min_assurance.
 */
enum kml_manifest_assurance {
	KML_ASSURANCE_TRUSTED = 1,	/* an administrator, without checks */
	KML_ASSURANCE_VALIDATED = 2,	/* the binary validator passed */
	KML_ASSURANCE_VERIFIED = 3,	/* kml-verify's source rules and the validator */
};

/* entry.flags */
#define KML_MANIFEST_F_RING0 (1U << 0)	/* may run at CPL 0 */
#define KML_MANIFEST_F_BYPASS (1U << 1)	/* may use the bypass entry */
#define KML_MANIFEST_F_KNOWN (KML_MANIFEST_F_RING0 | KML_MANIFEST_F_BYPASS)

struct kml_manifest_entry {
	__u8 digest[KML_DIGEST_SIZE];	/* of the covered bytes */
	__le64 length;			/* covered bytes, from offset 0 */
	__u8 digest_algo;		/* KML_DIGEST_SHA256 */
	__u8 role;			/* enum kml_manifest_role */
	__u8 assurance;			/* enum kml_manifest_assurance */
	__u8 reserved0;			/* 0 */
	__le32 flags;			/* KML_MANIFEST_F_* */
	__le32 ruleset_version;		/* kml-verify's rule set; 0 if none ran */
	__le32 reserved1;		/* 0 */
	/* SHA-256 of kml-verify's attestation (JSON); zero for trusted. */
	__u8 attestation[KML_DIGEST_SIZE];
};

/* Why kml_manifest_check() refuses a manifest. */
enum kml_manifest_error {
	KML_MANIFEST_OK = 0,
	KML_MANIFEST_E_SHORT,		/* fewer bytes than the header says */
	KML_MANIFEST_E_MAGIC,		/* not a kml manifest */
	KML_MANIFEST_E_VERSION,		/* a version this reader does not know */
	KML_MANIFEST_E_LAYOUT,		/* header or entry size, or count, wrong */
	KML_MANIFEST_E_ENTRY,		/* an entry with an unknown value */
	KML_MANIFEST_E_ORDER,		/* approval list not sorted by digest */
};

/*
 * The reader rule, written once so the kernel and the tools agree: the
 * manifest in buf[0..len) is well formed. Entries are checked for values
 * this version knows (digest type, role, assurance, flags) and zero
 * reserved fields. It does not check signatures, digests or policy.
 * @buf may have any alignment.
 */
static inline enum kml_manifest_error
kml_manifest_check(const void *buf, __u64 len)
{
	const unsigned char *bytes = (const unsigned char *)buf;
	struct kml_manifest_header h;
	struct kml_manifest_entry e;
	__u32 i, count;

	/* Copies: the signed content need not be aligned for the structs. */
	if (len < sizeof(h))
		return KML_MANIFEST_E_SHORT;
	__builtin_memcpy(&h, bytes, sizeof(h));
	for (i = 0; i < KML_MANIFEST_MAGIC_LEN; i++)
		if (h.magic[i] != KML_MANIFEST_MAGIC[i])
			return KML_MANIFEST_E_MAGIC;
	if (__le16_to_cpu(h.version) != KML_MANIFEST_VERSION)
		return KML_MANIFEST_E_VERSION;
	count = __le16_to_cpu(h.entry_count);
	if (__le16_to_cpu(h.header_size) != sizeof(h) ||
	    __le16_to_cpu(h.entry_size) != sizeof(e) ||
	    count == 0 || count > KML_MANIFEST_MAX_ENTRIES ||
	    h.reserved[0] || h.reserved[1])
		return KML_MANIFEST_E_LAYOUT;
	if (len != sizeof(h) + (__u64)count * sizeof(e))
		return len < sizeof(h) + (__u64)count * sizeof(e) ?
		       KML_MANIFEST_E_SHORT : KML_MANIFEST_E_LAYOUT;
	for (i = 0; i < count; i++) {
		__builtin_memcpy(&e, bytes + sizeof(h) + (__u64)i * sizeof(e),
				 sizeof(e));
		if (e.digest_algo != KML_DIGEST_SHA256 ||
		    e.role < KML_ROLE_PROGRAM || e.role > KML_ROLE_LIBRARY ||
		    e.assurance < KML_ASSURANCE_TRUSTED ||
		    e.assurance > KML_ASSURANCE_VERIFIED ||
		    (__le32_to_cpu(e.flags) & ~KML_MANIFEST_F_KNOWN) ||
		    e.reserved0 || e.reserved1)
			return KML_MANIFEST_E_ENTRY;
	}
	return KML_MANIFEST_OK;
}

/*
 * The reader rule of an approval list's manifest: kml_manifest_check(),
 * and the digests in strictly increasing memcmp order (no duplicates).
 */
static inline enum kml_manifest_error
kml_approvals_check(const void *buf, __u64 len)
{
	const unsigned char *bytes = (const unsigned char *)buf;
	const unsigned char *prev, *next;
	struct kml_manifest_header h;
	enum kml_manifest_error err;
	__u32 i, j, count;

	err = kml_manifest_check(buf, len);
	if (err != KML_MANIFEST_OK)
		return err;
	__builtin_memcpy(&h, bytes, sizeof(h));
	count = __le16_to_cpu(h.entry_count);
	/* The digest is each entry's first field; compared byte by byte. */
	for (i = 1; i < count; i++) {
		prev = bytes + sizeof(h) + (__u64)(i - 1) *
		       sizeof(struct kml_manifest_entry);
		next = prev + sizeof(struct kml_manifest_entry);
		for (j = 0; j < KML_DIGEST_SIZE && prev[j] == next[j]; j++)
			;
		if (j == KML_DIGEST_SIZE || prev[j] > next[j])
			return KML_MANIFEST_E_ORDER;
	}
	return KML_MANIFEST_OK;
}

#endif /* _UAPI_LINUX_KML_MANIFEST_H */
