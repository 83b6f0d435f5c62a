// SPDX-License-Identifier: GPL-2.0
/*
 * The gate: a marked program runs at CPL 0 only if a signed manifest
 * approves it (loader/uapi/linux/kml_manifest.h, docs/gate.md).
 *
 * At exec, after the marker, the privilege and the static-program checks
 * (loader/exec.c), kml_gate_check_exec() reads the signature appended to
 * the program, has the kernel verify it (verify_pkcs7_signature(): the
 * built-in and secondary trusted keyrings, then kml's own ".kml" keyring,
 * then the platform keyring, as module signing retries), checks the
 * manifest it carries (kml_manifest_check()), hashes the covered bytes and
 * compares, and applies the policy under /sys/kernel/kml/. exec denies
 * writes to the file from open to the end of the mm, so what was hashed
 * is what gets mapped.
 *
 * Every refusal is one reason of linux/kml_gate_reasons.h: its
 * errno, one rate-limited log line naming the file and the reason, and a
 * counter in /sys/kernel/kml/refused (a line a reason).
 *
 * State (all created at load, gone at unload): the policy, scalars read
 * once a check with READ_ONCE() and written by sysfs stores under
 * kml_policy_lock, which also orders them against sealing (min_generation
 * only grows: a cmpxchg loop); the refusal counters (atomics); the ".kml"
 * keyring, whose own lock serialises additions.
 *
 * Sealed (docs/gate.md, "Sealed"): until reboot kml.ko cannot be
 * unloaded, the policy only gets stricter, and ".kml" is trusted no more,
 * so that no root without a key can widen what runs at CPL 0. Under
 * lockdown a ring-0 program runs only with the gate sealed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/sha2.h>
#include <keys/system_keyring.h>
#include <linux/binfmts.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/key.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/moduleparam.h>
#include <linux/module.h>
#include <linux/kml_gate.h>
#include <linux/kml_manifest.h>
#include <linux/kml_note.h>
#include <linux/security.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/userfaultfd_k.h>
#include <linux/verification.h>

#include "gate.h"
#include "trace.h"

/* One reason: its word, its errno and its line (linux/kml_gate_reasons.h). */
struct kml_gate_reason_info {
	enum kml_gate_reason reason;
	const char *name;
	int err;
	const char *what;
};

/* In enum order: kml_gate_init() checks it. */
static const struct kml_gate_reason_info kml_gate_reasons[KML_GATE_NR_REASONS] = {
	{ KML_GATE_ALLOWED, "allowed", 0, "approved" },
#define KML_GATE_REASON(id, name_, err_, what_)				\
	{ .reason = KML_GATE_##id, .name = name_, .err = err_, .what = what_ },
#include <linux/kml_gate_reasons.h>
#undef KML_GATE_REASON
};

static atomic_long_t kml_gate_refused[KML_GATE_NR_REASONS];
static atomic_long_t kml_gate_unsigned_execs;
static atomic_long_t kml_gate_cache_hits;
static atomic_long_t kml_gate_verdict_hits;

/*
 * The policy (docs/gate.md): /sys/kernel/kml/min_assurance,
 * min_generation and allow_unsigned below. Module parameters give their
 * values at load (insmod kml.ko min_assurance=trusted); sysfs changes
 * them afterwards.
 */
static u8 kml_min_assurance = KML_ASSURANCE_VERIFIED;
static bool kml_allow_unsigned;
static bool kml_allow_bypass = true;
/*
 * Besides root, members of this group (a gid of the initial namespace)
 * may exec ring-0 programs; -1: nobody else.
 */
static int kml_exec_gid = -1;
static atomic64_t kml_min_generation = ATOMIC64_INIT(0);
static bool kml_sealed;
static DEFINE_MUTEX(kml_policy_lock);

static char *min_assurance_param = "verified";
module_param_named(min_assurance, min_assurance_param, charp, 0);
MODULE_PARM_DESC(min_assurance, "weakest assurance run at ring 0: trusted, validated or verified (default)");
static bool allow_unsigned_param;
module_param_named(allow_unsigned, allow_unsigned_param, bool, 0);
MODULE_PARM_DESC(allow_unsigned, "development mode: unsigned programs run at ring 0 (logged, counted)");
static bool sealed_param;
module_param_named(sealed, sealed_param, bool, 0);
MODULE_PARM_DESC(sealed, "seal the gate at load: kml.ko stays, the policy only gets stricter, .kml is not trusted");

static struct key *kml_keyring;

/* Index = enum kml_manifest_assurance; match_string() stops at a NULL. */
static const char *const kml_assurance_names[] = {
	[0] = "(none)",
	[KML_ASSURANCE_TRUSTED] = "trusted",
	[KML_ASSURANCE_VALIDATED] = "validated",
	[KML_ASSURANCE_VERIFIED] = "verified",
};

static const char *kml_gate_assurance_name(u8 assurance)
{
	return assurance < ARRAY_SIZE(kml_assurance_names) ?
	       kml_assurance_names[assurance] : "(unknown)";
}

int kml_gate_refuse_as(const char *kind, const char *filename,
		       enum kml_gate_reason reason, const char *detail)
{
	const struct kml_gate_reason_info *info = &kml_gate_reasons[reason];

	atomic_long_inc(&kml_gate_refused[reason]);
	trace_kml_refused(kind, filename, info->name, detail ?: "", -info->err);
	pr_notice_ratelimited("%s: refused: %s: %s%s%s (errno %d)\n", filename,
			      info->name, info->what, detail ? ": " : "",
			      detail ?: "", info->err);
	return -info->err;
}

const char *kml_gate_reason_name(enum kml_gate_reason reason)
{
	return kml_gate_reasons[reason].name;
}

int kml_gate_refuse(const char *filename, enum kml_gate_reason reason,
		    const char *detail)
{
	return kml_gate_refuse_as("exec", filename, reason, detail);
}

/* What the signature check found, for the exec hook. */
struct kml_gate_found {
	struct kml_manifest_header header;
	struct kml_manifest_entry entry;
	bool listed;		/* approved by a loaded list, not appended */
	/* The SHA-256 of the first digest_len bytes, once computed. */
	bool digested;
	u64 digest_len;
	u8 digest[SHA256_DIGEST_SIZE];
	/* Who signed the appended signature, if it was verified. */
	struct kml_signer signer;
	enum kml_gate_reason reason;
	const char *detail;
};

/* verify_pkcs7_signature()'s view of the signed content: the manifest. */
static int kml_gate_view_manifest(void *ctx, const void *data, size_t len,
				  size_t asn1hdrlen)
{
	struct kml_gate_found *found = ctx;

	if (kml_manifest_check(data, len) != KML_MANIFEST_OK ||
	    len != sizeof(found->header) + sizeof(found->entry)) {
		found->reason = KML_GATE_BAD_MANIFEST;
		found->detail = len != sizeof(found->header) + sizeof(found->entry) ?
				"an appended manifest holds exactly one entry" :
				"malformed";
		return -EBADMSG;
	}
	memcpy(&found->header, data, sizeof(found->header));
	memcpy(&found->entry, data + sizeof(found->header), sizeof(found->entry));
	return 0;
}

/*
 * Verifies the PKCS#7 message @sig against the keyrings in turn, as module
 * signing retries on -ENOKEY, and hands its content to @view.
 */
/* Whether the gate is sealed (until reboot). */
bool kml_gate_sealed(void)
{
	return READ_ONCE(kml_sealed);
}

/* ".kml", while it is trusted: not once the gate is sealed. */
static struct key *kml_gate_dev_keyring(void)
{
	return kml_gate_sealed() ? NULL : kml_keyring;
}

int kml_gate_verify_signed(const void *sig, size_t sig_len,
			   int (*view)(void *ctx, const void *data, size_t len,
				       size_t asn1hdrlen),
			   void *ctx, enum kml_signer_anchor *anchor)
{
	/*
	 * The built-in keyring first and on its own (NULL), so that a
	 * verdict knows whether its key can go away (loader/signer.c);
	 * the secondary keyring links the built-in one.
	 */
	const struct {
		struct key *keyring;
		enum kml_signer_anchor anchor;
	} keyrings[] = {
		{ NULL, KML_SIGNER_BUILTIN },
		{ VERIFY_USE_SECONDARY_KEYRING, KML_SIGNER_NONE },
		{ kml_keyring, KML_SIGNER_KML },
		{ VERIFY_USE_PLATFORM_KEYRING, KML_SIGNER_NONE },
	};
	int i, ret = -ENOKEY;

	for (i = 0; i < ARRAY_SIZE(keyrings) && ret == -ENOKEY; i++) {
		if (keyrings[i].anchor == KML_SIGNER_KML &&
		    !kml_gate_dev_keyring())
			continue;
		ret = verify_pkcs7_signature(NULL, 0, sig, sig_len,
					     keyrings[i].keyring,
					     VERIFYING_UNSPECIFIED_SIGNATURE,
					     view, ctx);
		if (!ret && anchor)
			*anchor = keyrings[i].anchor;
	}
	return ret;
}

/*
 * Verifies the appended signature @sig into @found: its manifest, and who
 * signed it (found->signer, for keeping the verdict).
 */
static int kml_gate_verify(const void *sig, size_t sig_len,
			   struct kml_gate_found *found)
{
	enum kml_signer_anchor anchor = KML_SIGNER_NONE;
	bool named;
	int ret;

	named = !kml_signer_parse(sig, sig_len, &found->signer);
	ret = kml_gate_verify_signed(sig, sig_len, kml_gate_view_manifest,
				     found, &anchor);
	/* kml_signer_anchor() asks ".kml" again, unless sealed since: none. */
	if (!ret && named)
		kml_signer_anchor(&found->signer, anchor, kml_gate_dev_keyring());
	return ret;
}

/* Whether a manifest of @generation is at or above min_generation. */
bool kml_gate_generation_ok(u64 generation)
{
	return generation <= S64_MAX &&
	       (s64)generation >= atomic64_read(&kml_min_generation);
}

/* SHA-256 of the first @len bytes of @file. */
static int kml_gate_hash(struct file *file, u64 len, u8 *digest)
{
	const size_t chunk = 64 * 1024;
	struct sha256_state state;
	loff_t pos = 0;
	u8 *buf;
	int ret = 0;

	buf = kvmalloc(chunk, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	sha256_init(&state);
	while (pos < len) {
		size_t want = min_t(u64, chunk, len - pos);
		ssize_t got = kernel_read(file, buf, want, &pos);

		if (got != want) {
			ret = got < 0 ? got : -EIO;
			break;
		}
		sha256_update(&state, buf, got);
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	if (!ret)
		sha256_final(&state, digest);
	kvfree(buf);
	return ret;
}

/*
 * The SHA-256 of the first @len bytes of @file into found->digest: the one
 * a held entry kept for the file (*@known, its bytes unchanged since) if
 * it covers as many bytes, else read and hashed.
 */
static int kml_gate_digest(struct file *file, u64 len,
			   const struct kml_gate_found *known,
			   struct kml_gate_found *found)
{
	int ret;

	if (known && known->digested && known->digest_len == len) {
		memcpy(found->digest, known->digest, sizeof(found->digest));
		atomic_long_inc(&kml_gate_cache_hits);
	} else {
		ret = kml_gate_hash(file, len, found->digest);
		if (ret)
			return ret;
	}
	found->digested = true;
	found->digest_len = len;
	return 0;
}

/*
 * A file without an appended signature: approved by a loaded list
 * (loader/approvals.c) if one holds its digest and length. Only hashed
 * when some list is loaded.
 */
static int kml_gate_check_listed(struct file *file, u64 size,
				 const struct kml_gate_found *known,
				 struct kml_gate_found *found)
{
	int ret;

	if (!kml_approvals_any())
		return 0;
	ret = kml_gate_digest(file, size, known, found);
	if (ret)
		return ret;
	if (!kml_approvals_find(found->digest, size, &found->header,
				&found->entry))
		return 0;
	found->listed = true;
	found->reason = KML_GATE_ALLOWED;
	return 0;
}

/*
 * The length a DER-encoded PKCS#7 message at @sig says it has (its outer
 * SEQUENCE), or 0 if it does not start like one. An appended signature
 * must be exactly one message: nothing unsigned may follow it.
 */
static size_t kml_gate_der_len(const u8 *sig, size_t len)
{
	size_t body = 0, head, i;

	if (len < 2 || sig[0] != 0x30)
		return 0;
	if (!(sig[1] & 0x80))
		return 2 + sig[1];
	head = 2 + (sig[1] & 0x7f);
	if (head > 6 || head > len)
		return 0;
	for (i = 2; i < head; i++)
		body = body << 8 | sig[i];
	return head + body;
}

/* The info block: all that the format does not use is zero. */
static bool kml_gate_info_ok(const struct kml_sig_info *info, u32 sig_len)
{
	return info->id_type == KML_SIG_ID_PKCS7 && !info->algo && !info->hash &&
	       !info->signer_len && !info->key_id_len && !info->pad[0] &&
	       !info->pad[1] && !info->pad[2] && sig_len;
}

/*
 * A verdict a held entry kept for the file, whose bytes have not changed
 * since: it stands if it approved an appended signature and the trust
 * that signature found still holds (loader/signer.c). Anything else is
 * checked again in full.
 */
static bool kml_gate_kept(const struct kml_gate_found *known)
{
	if (known->reason != KML_GATE_ALLOWED || known->listed ||
	    kml_signer_recheck(&known->signer, kml_gate_dev_keyring()))
		return false;
	atomic_long_inc(&kml_gate_cache_hits);
	atomic_long_inc(&kml_gate_verdict_hits);
	return true;
}

/*
 * Reads the appended signature of @file ([PKCS#7][info][magic] at its end),
 * or a loaded list's entry for it, and checks it. @known: what a held
 * entry knows of the file (its digest), or NULL. Fills @found; returns 0
 * with found->reason set to the verdict, or -errno when the file could
 * not be read at all.
 */
static int kml_gate_check_file(struct file *file,
			       const struct kml_gate_found *known,
			       struct kml_gate_found *found)
{
	const size_t tail = sizeof(struct kml_sig_info) + KML_SIG_MAGIC_LEN;
	u64 size = i_size_read(file_inode(file));
	u8 trailer[sizeof(struct kml_sig_info) + KML_SIG_MAGIC_LEN];
	struct kml_sig_info info;
	loff_t pos;
	u32 sig_len;
	void *sig;
	int ret;

	if (known && kml_gate_kept(known)) {
		*found = *known;
		return 0;
	}
	found->reason = KML_GATE_UNSIGNED;
	found->detail = NULL;
	if (size < tail)
		return kml_gate_check_listed(file, size, known, found);
	pos = size - tail;
	if (kernel_read(file, trailer, tail, &pos) != tail)
		return -EIO;
	if (memcmp(trailer + sizeof(info), KML_SIG_MAGIC, KML_SIG_MAGIC_LEN))
		return kml_gate_check_listed(file, size, known, found);

	found->reason = KML_GATE_BAD_SIGNATURE;
	memcpy(&info, trailer, sizeof(info));
	sig_len = be32_to_cpu(info.sig_len);
	if (!kml_gate_info_ok(&info, sig_len) ||
	    sig_len > KML_SIG_MAX_LEN || sig_len > size - tail) {
		found->detail = "bad signature information block";
		return 0;
	}
	sig = kvmalloc(sig_len, GFP_KERNEL);
	if (!sig)
		return -ENOMEM;
	pos = size - tail - sig_len;
	if (kernel_read(file, sig, sig_len, &pos) != sig_len) {
		kvfree(sig);
		return -EIO;
	}
	if (kml_gate_der_len(sig, sig_len) != sig_len) {
		kvfree(sig);
		found->detail = "bytes around the PKCS#7 message";
		return 0;
	}
	ret = kml_gate_verify(sig, sig_len, found);
	kvfree(sig);
	switch (ret) {
	case 0:
		break;
	case -ENOKEY:
		found->reason = KML_GATE_UNKNOWN_KEY;
		return 0;
	case -EKEYREVOKED:
	case -EKEYEXPIRED:
		found->reason = KML_GATE_REVOKED;
		found->detail = "the signing key";
		return 0;
	case -ENOMEM:
		return ret;
	case -EKEYREJECTED:
		if (kml_signer_revoked(&found->signer)) {
			found->reason = KML_GATE_REVOKED;
			found->detail = "the signing key's certificate";
			return 0;
		}
		fallthrough;
	default:
		/* kml_gate_view_manifest() named it already */
		if (found->reason != KML_GATE_BAD_MANIFEST)
			found->reason = KML_GATE_BAD_SIGNATURE;
		return 0;
	}

	/*
	 * The manifest is authentic: now it must describe this file. Any
	 * role will do here: a library's signature approves mapping it, and
	 * kml_gate_check_exec() lets only a program's start one.
	 */
	if (le64_to_cpu(found->entry.length) != size - tail - sig_len) {
		found->reason = KML_GATE_TAMPERED;
		found->detail = "length";
		return 0;
	}
	ret = kml_gate_digest(file, size - tail - sig_len, known, found);
	if (ret)
		return ret;
	if (memcmp(found->digest, found->entry.digest, sizeof(found->digest))) {
		found->reason = KML_GATE_TAMPERED;
		found->detail = "digest";
		return 0;
	}
	if (is_binary_blacklisted(found->digest, sizeof(found->digest))) {
		found->reason = KML_GATE_REVOKED;
		found->detail = "the file's digest";
		return 0;
	}
	found->reason = KML_GATE_ALLOWED;
	return 0;
}

/* --- approved files held: write denial and the digest cache --- */

/*
 * A file a ring-0 program was approved to execute: the program itself
 * (from its exec) or a file it mapped executable. The entry holds a
 * reference and a write denial on the file from before the file was read
 * until the program's last process is gone: the file cannot change under
 * code that runs at CPL 0, and the digest kept here stays true of its
 * bytes, which makes the list a cache (kml_gate_known()) too: of the
 * digest, and of the verdict on an appended signature, taken only while
 * the trust it found still holds (kml_gate_kept()). The lists, the
 * digest's revocation and the policy are checked anew every time.
 *
 * An exec's entry has no program until the exec passes its point of no
 * return (kml_gate_program_start()); one whose exec failed is known by
 * its file having no other user, and dropped by the next walk.
 *
 * Locking: kml_gate_held_lock, a spinlock (the mprotect check runs under
 * mmap_lock and the program-exit report may not sleep), guards the list
 * and every entry's prog. Entries are released outside it.
 */
struct kml_gate_held {
	struct list_head node;
	const struct kml_program *prog;	/* NULL: an exec not started (yet) */
	struct file *file;
	struct kml_gate_found found;
};

static LIST_HEAD(kml_gate_held_list);
static DEFINE_SPINLOCK(kml_gate_held_lock);

/* Takes a reference and a write denial on @file; ERR_PTR(-ETXTBSY) if busy. */
/*
 * Why @file's pages could change without a write open of it, or NULL. A
 * write denial protects only a file whose every writer opens it: not one
 * on an internal mount (memfd, shared memory: created writable, never
 * counted as writers), nor one of a file system a user namespace mounted,
 * nor one whose pages the file system replaces on its own (FUSE, network
 * file systems) or takes from another inode (overlayfs). So local ones
 * only, by name.
 */
static const char *kml_gate_unsafe_fs(struct file *file)
{
	struct super_block *sb = file_inode(file)->i_sb;

	if (sb->s_flags & SB_KERNMOUNT)
		return "an internal mount (memfd, shared memory)";
	if (sb->s_user_ns != &init_user_ns ||
	    (sb->s_iflags & SB_I_UNTRUSTED_MOUNTER))
		return "mounted in a user namespace";
	switch (sb->s_magic) {
	case EXT4_SUPER_MAGIC:
	case XFS_SUPER_MAGIC:
	case BTRFS_SUPER_MAGIC:
	case F2FS_SUPER_MAGIC:
	case TMPFS_MAGIC:
	case RAMFS_MAGIC:
	case EROFS_SUPER_MAGIC_V1:
	case SQUASHFS_MAGIC:
		return NULL;
	default:
		return "not a local file system kml knows (overlayfs, FUSE, network)";
	}
}

/*
 * Whether a page of @mapping is pinned for DMA: a long-term writable pin
 * (io_uring's fixed buffers) outlives the mapping and the open it came
 * from, and writes the page cache with no writer left.
 */
static bool kml_gate_pinned(struct address_space *mapping)
{
	struct folio_batch fbatch;
	pgoff_t index = 0;
	bool pinned = false;
	unsigned int i;

	folio_batch_init(&fbatch);
	while (!pinned &&
	       filemap_get_folios(mapping, &index, ULONG_MAX, &fbatch)) {
		for (i = 0; i < folio_batch_count(&fbatch); i++)
			pinned |= folio_maybe_dma_pinned(fbatch.folios[i]);
		folio_batch_release(&fbatch);
		cond_resched();
	}
	return pinned;
}

/*
 * Takes a reference and a write denial on @file, or returns why not:
 * ERR_PTR(-ETXTBSY) if it is open for writing or mapped writable,
 * ERR_PTR(-EXDEV) with *@why if its file system can change it otherwise
 * (kml_gate_unsafe_fs()). Pins: kml_gate_examine().
 */
static struct kml_gate_held *kml_gate_hold(struct file *file,
					   const char **why)
{
	struct kml_gate_held *h;

	*why = kml_gate_unsafe_fs(file);
	if (*why)
		return ERR_PTR(-EXDEV);
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return ERR_PTR(-ENOMEM);
	if (deny_write_access(file)) {
		kfree(h);
		return ERR_PTR(-ETXTBSY);
	}
	/* No new writable mapping can come now: see if one is left. */
	if (mapping_writably_mapped(file->f_mapping)) {
		allow_write_access(file);
		kfree(h);
		return ERR_PTR(-ETXTBSY);
	}
	h->file = get_file(file);
	INIT_LIST_HEAD(&h->node);
	return h;
}

/*
 * A refusal for kml_gate_hold()'s error: its reason (in *@reason),
 * counted and logged.
 */
static int kml_gate_hold_refused(const char *name, long err, const char *why,
				 enum kml_gate_reason *reason)
{
	if (err == -ETXTBSY)
		*reason = KML_GATE_BUSY;
	else if (err == -EXDEV)
		*reason = KML_GATE_UNSAFE_FS;
	else
		return err;
	return kml_gate_refuse(name, *reason, *reason == KML_GATE_BUSY ?
			       "open for writing, mapped writable or pinned" :
			       why);
}

/* Any context: fput() defers the last close. */
static void kml_gate_release(struct kml_gate_held *h)
{
	allow_write_access(h->file);
	fput(h->file);
	kfree(h);
}

static void kml_gate_release_all(struct list_head *list)
{
	struct kml_gate_held *h, *next;

	list_for_each_entry_safe(h, next, list, node) {
		list_del(&h->node);
		kml_gate_release(h);
	}
}

/* Under the lock: moves entries of failed execs to @stale. */
static void kml_gate_sweep_locked(struct list_head *stale)
{
	struct kml_gate_held *h, *next;

	list_for_each_entry_safe(h, next, &kml_gate_held_list, node)
		if (!h->prog && file_count(h->file) == 1)
			list_move(&h->node, stale);
}

/*
 * The cache: if a held entry covers @inode, the digest and the verdict it
 * kept are of the file's bytes now (write-denied since they were found).
 */
static bool kml_gate_known(struct inode *inode, struct kml_gate_found *found)
{
	struct kml_gate_held *h;
	bool hit = false;
	LIST_HEAD(stale);

	spin_lock(&kml_gate_held_lock);
	kml_gate_sweep_locked(&stale);
	list_for_each_entry(h, &kml_gate_held_list, node) {
		if (file_inode(h->file) == inode) {
			*found = h->found;
			hit = true;
			break;
		}
	}
	spin_unlock(&kml_gate_held_lock);
	kml_gate_release_all(&stale);
	return hit;
}

/* Under the lock: @prog's entry for @inode, or NULL. */
static struct kml_gate_held *kml_gate_find_locked(const struct kml_program *prog,
						  struct inode *inode)
{
	struct kml_gate_held *h;

	list_for_each_entry(h, &kml_gate_held_list, node)
		if (h->prog == prog && file_inode(h->file) == inode)
			return h;
	return NULL;
}

/* Whether any file is held (entries of failed execs swept first). */
static bool kml_gate_holds_any(void)
{
	LIST_HEAD(stale);
	bool any;

	spin_lock(&kml_gate_held_lock);
	kml_gate_sweep_locked(&stale);
	any = !list_empty(&kml_gate_held_list);
	spin_unlock(&kml_gate_held_lock);
	kml_gate_release_all(&stale);
	return any;
}

/* Whether @prog holds @inode: it was approved for it, and still is. */
static bool kml_gate_holds(const struct kml_program *prog, struct inode *inode)
{
	bool held;

	spin_lock(&kml_gate_held_lock);
	held = kml_gate_find_locked(prog, inode);
	spin_unlock(&kml_gate_held_lock);
	return held;
}

/* Keeps @h for @prog (NULL: an exec's), once a program and inode. */
static void kml_gate_keep(struct kml_gate_held *h,
			  const struct kml_program *prog)
{
	bool dup;

	spin_lock(&kml_gate_held_lock);
	dup = prog && kml_gate_find_locked(prog, file_inode(h->file));
	h->prog = prog;
	if (!dup)
		list_add(&h->node, &kml_gate_held_list);
	spin_unlock(&kml_gate_held_lock);
	if (dup)
		kml_gate_release(h);
}

/* The exec of @bprm became @prog: its entry is the program's now. */
void kml_gate_program_start(const struct kml_program *prog,
			    struct linux_binprm *bprm)
{
	struct kml_gate_held *h;

	spin_lock(&kml_gate_held_lock);
	list_for_each_entry(h, &kml_gate_held_list, node) {
		if (!h->prog && h->file == bprm->file) {
			h->prog = prog;
			break;
		}
	}
	spin_unlock(&kml_gate_held_lock);
}

/* @prog's last process is gone: what it held is released. May not sleep. */
void kml_gate_program_exit(const struct kml_program *prog)
{
	struct kml_gate_held *h, *next;
	LIST_HEAD(gone);

	spin_lock(&kml_gate_held_lock);
	list_for_each_entry_safe(h, next, &kml_gate_held_list, node)
		if (h->prog == prog)
			list_move(&h->node, &gone);
	kml_gate_sweep_locked(&gone);
	spin_unlock(&kml_gate_held_lock);
	kml_gate_release_all(&gone);
}

/* --- the decisions --- */

/*
 * The policy applied to a verdict of kml_gate_check_file(): the reason it
 * is refused, or KML_GATE_ALLOWED. *@unsigned_dev says that it is allowed
 * only because development mode is on.
 */
static enum kml_gate_reason kml_gate_policy(const struct kml_gate_found *found,
					    bool *unsigned_dev)
{
	*unsigned_dev = false;
	if (found->reason == KML_GATE_UNSIGNED && READ_ONCE(kml_allow_unsigned)) {
		*unsigned_dev = true;
		return KML_GATE_ALLOWED;
	}
	if (found->reason != KML_GATE_ALLOWED)
		return found->reason;
	/* Revocation of the digest applies to cached verdicts too. */
	if (is_binary_blacklisted(found->entry.digest, KML_DIGEST_SIZE))
		return KML_GATE_REVOKED;
	if (!kml_gate_generation_ok(le64_to_cpu(found->header.generation)))
		return KML_GATE_STALE_GENERATION;
	if (found->entry.assurance < READ_ONCE(kml_min_assurance))
		return KML_GATE_ASSURANCE_TOO_LOW;
	if (!(le32_to_cpu(found->entry.flags) & KML_MANIFEST_F_RING0))
		return KML_GATE_NOT_RING0;
	return KML_GATE_ALLOWED;
}

/*
 * Checks @file, write-denied by the caller, with the digest a held entry
 * kept for it if there is one. -ETXTBSY if no entry holds it and a page
 * of it is pinned (a held file cannot get a writable pin: that needs a
 * writable mapping).
 */
static int kml_gate_examine(struct file *file, struct kml_gate_found *found)
{
	struct kml_gate_found *known;
	bool have;
	int ret;

	known = kzalloc(sizeof(*known), GFP_KERNEL);
	if (!known)
		return -ENOMEM;
	have = kml_gate_known(file_inode(file), known);
	if (!have && kml_gate_pinned(file->f_mapping))
		ret = -ETXTBSY;
	else
		ret = kml_gate_check_file(file, have ? known : NULL, found);
	kfree(known);
	return ret;
}

/*
 * The end of the bytes of a file an approval covers whose pages may be
 * executable: an appended signature's covered bytes end inside a page
 * the signature shares, so only whole pages count; a listed file is
 * covered to its end (the rest of its last page reads as zeros).
 */
static u64 kml_gate_exec_limit(const struct kml_gate_found *found)
{
	u64 len = le64_to_cpu(found->entry.length);

	return found->listed ? round_up(len, PAGE_SIZE) : round_down(len, PAGE_SIZE);
}

/* Whether the program's executable segments lie within what is approved. */
static bool kml_gate_code_covered(const struct kml_gate_found *found,
				  const struct elf64_hdr *ehdr,
				  const struct elf64_phdr *phdrs)
{
	u64 limit = kml_gate_exec_limit(found), end;
	int i;

	for (i = 0; i < ehdr->e_phnum; i++) {
		const struct elf64_phdr *ph = &phdrs[i];

		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		if (check_add_overflow(ph->p_offset, ph->p_filesz, &end) ||
		    round_up(end, PAGE_SIZE) > limit)
			return false;
	}
	return true;
}

/* Whether the caller may exec ring-0 programs: root, or exec_group. */
bool kml_gate_may_exec(void)
{
	int gid = READ_ONCE(kml_exec_gid);

	if (capable(CAP_SYS_ADMIN))
		return true;
	return gid >= 0 && in_group_p(make_kgid(&init_user_ns, gid));
}

/*
 * The exec hook's question: may this marked program (marker flags
 * @marker_flags) run at CPL 0? 0 if so, else -errno with the reason
 * logged and counted. exec holds a write denial on the file from open to
 * the end of the mm; the entry kept here holds one until the program is
 * gone.
 */
int kml_gate_check_exec(struct linux_binprm *bprm, u32 marker_flags,
			const struct elf64_hdr *ehdr,
			const struct elf64_phdr *phdrs,
			struct kml_exec_verdict *v)
{
	enum kml_gate_reason reason;
	struct kml_gate_held *h;
	const char *why = NULL;
	bool unsigned_dev;
	int ret;

	h = kml_gate_hold(bprm->file, &why);
	if (IS_ERR(h))
		return kml_gate_hold_refused(bprm->filename, PTR_ERR(h), why,
					     &v->reason);
	ret = kml_gate_examine(bprm->file, &h->found);
	if (ret) {
		ret = kml_gate_hold_refused(bprm->filename, ret, NULL,
					    &v->reason);
		goto release;
	}
	reason = kml_gate_policy(&h->found, &unsigned_dev);
	if (reason == KML_GATE_ALLOWED && !unsigned_dev &&
	    h->found.entry.role != KML_ROLE_PROGRAM) {
		reason = KML_GATE_BAD_MANIFEST;
		h->found.reason = reason;
		h->found.detail = "approved as a library or loader, not as a program";
	}
	if (reason == KML_GATE_ALLOWED && (marker_flags & KML_NOTE_F_BYPASS) &&
	    (!READ_ONCE(kml_allow_bypass) ||
	     (!unsigned_dev &&
	      !(le32_to_cpu(h->found.entry.flags) & KML_MANIFEST_F_BYPASS))))
		reason = KML_GATE_BYPASS_NOT_ALLOWED;
	if (reason == KML_GATE_ALLOWED && !unsigned_dev &&
	    !kml_gate_code_covered(&h->found, ehdr, phdrs)) {
		reason = KML_GATE_UNAPPROVED_MAPPING;
		h->found.reason = reason;
		h->found.detail = "code pages reach past the signed bytes";
	}
	if (reason != KML_GATE_ALLOWED) {
		v->reason = reason;
		ret = kml_gate_refuse(bprm->filename, reason,
				      reason == h->found.reason ?
				      h->found.detail : NULL);
		goto release;
	}
	if (unsigned_dev) {
		atomic_long_inc(&kml_gate_unsigned_execs);
		pr_warn_ratelimited("%s: UNSIGNED program at ring 0: development mode (allow_unsigned) is on\n",
				    bprm->filename);
		v->assurance = "unsigned";
		v->unsigned_dev = true;
	} else {
		v->assurance = kml_gate_assurance_name(h->found.entry.assurance);
		v->listed = h->found.listed;
	}
	kml_gate_keep(h, NULL);
	return 0;
release:
	kml_gate_release(h);
	return ret;
}

/* A refusal of a mapping: as kml_gate_refuse(), named by file or task. */
static int kml_gate_refuse_mapping(struct file *file,
				   enum kml_gate_reason reason,
				   const char *detail)
{
	const struct kml_gate_reason_info *info = &kml_gate_reasons[reason];

	atomic_long_inc(&kml_gate_refused[reason]);
	if (trace_kml_refused_enabled()) {
		/* Named as %pD names it: the file's last component. */
		struct name_snapshot name;

		if (file)
			take_dentry_name_snapshot(&name, file->f_path.dentry);
		trace_kml_refused("mapping",
				  file ? (const char *)name.name.name :
				  current->comm, info->name, detail, -info->err);
		if (file)
			release_dentry_name_snapshot(&name);
	}
	if (file)
		pr_notice_ratelimited("%pD (mapped by %s[%d]): refused: %s: %s: %s (errno %d)\n",
				      file, current->comm, task_pid_nr(current),
				      info->name, info->what, detail, info->err);
	else
		pr_notice_ratelimited("%s[%d]: refused: %s: %s: %s (errno %d)\n",
				      current->comm, task_pid_nr(current),
				      info->name, info->what, detail, info->err);
	return -info->err;
}

/*
 * mmap() with PROT_EXEC by a process running @prog: anonymous memory,
 * writable code and files other than regular ones are refused; a file
 * must be approved now, as at exec (the bypass aside), and stays
 * write-denied while @prog runs. Called before mmap_lock is taken.
 */
int kml_gate_mmap_check(const struct kml_program *prog, struct file *file,
			unsigned long prot, unsigned long flags)
{
	enum kml_gate_reason reason;
	struct kml_gate_held *h;
	const char *why = NULL;
	bool unsigned_dev;
	int ret;

	if (!file)
		return kml_gate_refuse_mapping(NULL, KML_GATE_ANONYMOUS_EXEC,
					       "anonymous memory");
	if (prot & PROT_WRITE)
		return kml_gate_refuse_mapping(file, KML_GATE_ANONYMOUS_EXEC,
					       "writable and executable");
	if (!S_ISREG(file_inode(file)->i_mode))
		return kml_gate_refuse_mapping(file, KML_GATE_UNAPPROVED_MAPPING,
					       "not a regular file");
	h = kml_gate_hold(file, &why);
	if (IS_ERR(h)) {
		if (PTR_ERR(h) == -ETXTBSY)
			return kml_gate_refuse_mapping(file, KML_GATE_BUSY,
						       "open for writing, mapped writable or pinned");
		if (PTR_ERR(h) == -EXDEV)
			return kml_gate_refuse_mapping(file, KML_GATE_UNSAFE_FS, why);
		return PTR_ERR(h);
	}
	ret = kml_gate_examine(file, &h->found);
	if (ret == -ETXTBSY)
		ret = kml_gate_refuse_mapping(file, KML_GATE_BUSY, "pinned");
	if (ret)
		goto release;
	reason = kml_gate_policy(&h->found, &unsigned_dev);
	if (reason != KML_GATE_ALLOWED) {
		ret = kml_gate_refuse_mapping(file, KML_GATE_UNAPPROVED_MAPPING,
					      kml_gate_reasons[reason].name);
		goto release;
	}
	if (unsigned_dev) {
		atomic_long_inc(&kml_gate_unsigned_execs);
		pr_warn_ratelimited("%pD: UNSIGNED code mapped at ring 0: development mode (allow_unsigned) is on\n",
				    file);
	}
	kml_gate_keep(h, prog);
	return 0;
release:
	kml_gate_release(h);
	return ret;
}

/*
 * Which pages of @file, which kml_gate_mmap_check() just granted @prog,
 * may be executable: those within what its approval covers.
 */
int kml_gate_mmap_range_check(const struct kml_program *prog,
			      struct file *file, unsigned long pgoff,
			      unsigned long len)
{
	struct kml_gate_held *h;
	u64 limit = 0, end;
	bool held, all = false;

	spin_lock(&kml_gate_held_lock);
	h = kml_gate_find_locked(prog, file_inode(file));
	held = h;
	if (h) {
		/* development mode: an unsigned file has no bound */
		all = h->found.reason == KML_GATE_UNSIGNED;
		limit = kml_gate_exec_limit(&h->found);
	}
	spin_unlock(&kml_gate_held_lock);
	if (!held)
		return kml_gate_refuse_mapping(file, KML_GATE_UNAPPROVED_MAPPING,
					       "not granted");
	if (all)
		return 0;
	if (pgoff > (U64_MAX >> PAGE_SHIFT) ||
	    check_add_overflow((u64)pgoff << PAGE_SHIFT,
			       (u64)PAGE_ALIGN(len), &end) || end > limit)
		return kml_gate_refuse_mapping(file, KML_GATE_UNAPPROVED_MAPPING,
					       "pages past the signed bytes");
	return 0;
}

/* @bprm's exec starts no ring-0 program: its entry goes now. */
void kml_gate_exec_abort(struct linux_binprm *bprm)
{
	struct kml_gate_held *h, *found = NULL;

	spin_lock(&kml_gate_held_lock);
	list_for_each_entry(h, &kml_gate_held_list, node) {
		if (!h->prog && h->file == bprm->file) {
			list_del_init(&h->node);
			found = h;
			break;
		}
	}
	spin_unlock(&kml_gate_held_lock);
	if (found)
		kml_gate_release(found);
}

/*
 * mprotect() leaving memory of a process running @prog executable. With
 * mmap_lock held nothing is read: writable code, a range userfaultfd may
 * fill, anonymous memory and privately written file pages are refused;
 * making a clean file mapping executable is allowed only for a file @prog
 * holds (its program, or a file it mapped executable with mmap()), and
 * only the pages its approval covers (the whole vma: it is not split yet).
 */
int kml_gate_mprotect_check(const struct kml_program *prog,
			    struct vm_area_struct *vma, unsigned long prot)
{
	struct file *file = vma->vm_file;

	if (prot & PROT_WRITE)
		return kml_gate_refuse_mapping(file, KML_GATE_ANONYMOUS_EXEC,
					       "writable and executable");
	if (userfaultfd_armed(vma))
		return kml_gate_refuse_mapping(file, KML_GATE_ANONYMOUS_EXEC,
					       "registered with userfaultfd");
	if (vma->vm_flags & VM_EXEC)
		return 0;
	if (!file)
		return kml_gate_refuse_mapping(NULL, KML_GATE_ANONYMOUS_EXEC,
					       "anonymous memory");
	if (vma->anon_vma)
		return kml_gate_refuse_mapping(file, KML_GATE_ANONYMOUS_EXEC,
					       "privately written pages");
	if (!kml_gate_holds(prog, file_inode(file)))
		return kml_gate_refuse_mapping(file, KML_GATE_UNAPPROVED_MAPPING,
					       "not the program, nor mapped executable by it with mmap()");
	/* Only its approved pages, as for mmap(): not the signature's. */
	return kml_gate_mmap_range_check(prog, file, vma->vm_pgoff,
					 vma->vm_end - vma->vm_start);
}

/* --- /sys/kernel/kml/ policy and /sys/kernel/kml/refused/ counters --- */

/*
 * Whether the policy may get weaker (widen what runs at CPL 0): not once
 * the gate is sealed, nor under lockdown. Stricter is always allowed.
 * Under kml_policy_lock.
 */
static int kml_gate_may_weaken(const char *what)
{
	lockdep_assert_held(&kml_policy_lock);
	if (kml_sealed) {
		pr_notice_ratelimited("%s: refused: the gate is sealed until reboot\n",
				      what);
		return -EPERM;
	}
	if (security_locked_down(LOCKDOWN_INTEGRITY_MAX))
		return -EPERM;
	return 0;
}

static ssize_t min_assurance_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  kml_assurance_names[READ_ONCE(kml_min_assurance)]);
}

static ssize_t min_assurance_store(struct kobject *kobj,
				   struct kobj_attribute *attr,
				   const char *buf, size_t count)
{
	int i = sysfs_match_string(kml_assurance_names, buf);
	int ret = 0;

	if (i < KML_ASSURANCE_TRUSTED)
		return -EINVAL;
	mutex_lock(&kml_policy_lock);
	if (i < kml_min_assurance)
		ret = kml_gate_may_weaken("min_assurance");
	if (!ret) {
		WRITE_ONCE(kml_min_assurance, i);
		pr_notice("min_assurance is now %s\n", kml_assurance_names[i]);
	}
	mutex_unlock(&kml_policy_lock);
	return ret ?: count;
}

static struct kobj_attribute min_assurance_attr = __ATTR_RW_MODE(min_assurance, 0644);

static ssize_t min_generation_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n", atomic64_read(&kml_min_generation));
}

/* It only grows: an older manifest, once refused, stays refused. */
static ssize_t min_generation_store(struct kobject *kobj,
				    struct kobj_attribute *attr,
				    const char *buf, size_t count)
{
	s64 want, old;
	int ret = kstrtos64(buf, 0, &want);

	if (ret)
		return ret;
	old = atomic64_read(&kml_min_generation);
	do {
		if (want < old)
			return -EINVAL;
	} while (!atomic64_try_cmpxchg(&kml_min_generation, &old, want));
	return count;
}

static struct kobj_attribute min_generation_attr = __ATTR_RW_MODE(min_generation, 0644);

static ssize_t allow_unsigned_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(kml_allow_unsigned));
}

static ssize_t allow_unsigned_store(struct kobject *kobj,
				    struct kobj_attribute *attr,
				    const char *buf, size_t count)
{
	bool on;
	int ret = kstrtobool(buf, &on);

	if (ret)
		return ret;
	mutex_lock(&kml_policy_lock);
	if (on)
		ret = kml_gate_may_weaken("allow_unsigned");
	if (!ret) {
		WRITE_ONCE(kml_allow_unsigned, on);
		if (on)
			pr_warn("allow_unsigned is on: unsigned programs run at ring 0 (development mode)\n");
		else
			pr_notice("allow_unsigned is off\n");
	}
	mutex_unlock(&kml_policy_lock);
	return ret ?: count;
}

static struct kobj_attribute allow_unsigned_attr = __ATTR_RW_MODE(allow_unsigned, 0644);

static ssize_t allow_bypass_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(kml_allow_bypass));
}

/* 0: no program takes the bypass entry, whatever its manifest approves. */
static ssize_t allow_bypass_store(struct kobject *kobj,
				  struct kobj_attribute *attr,
				  const char *buf, size_t count)
{
	bool on;
	int ret = kstrtobool(buf, &on);

	if (ret)
		return ret;
	mutex_lock(&kml_policy_lock);
	if (on && !kml_allow_bypass)
		ret = kml_gate_may_weaken("allow_bypass");
	if (!ret) {
		WRITE_ONCE(kml_allow_bypass, on);
		pr_notice("allow_bypass is now %d\n", on);
	}
	mutex_unlock(&kml_policy_lock);
	return ret ?: count;
}

static struct kobj_attribute allow_bypass_attr = __ATTR_RW_MODE(allow_bypass, 0644);

static ssize_t exec_group_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	int gid = READ_ONCE(kml_exec_gid);

	return gid < 0 ? sysfs_emit(buf, "none\n") : sysfs_emit(buf, "%d\n", gid);
}

/* "none" (root only, the default) or a group id of the initial namespace. */
static ssize_t exec_group_store(struct kobject *kobj,
				struct kobj_attribute *attr,
				const char *buf, size_t count)
{
	unsigned int gid;
	int ret;

	if (sysfs_streq(buf, "none")) {
		mutex_lock(&kml_policy_lock);
		WRITE_ONCE(kml_exec_gid, -1);
		mutex_unlock(&kml_policy_lock);
		pr_notice("exec_group is now none: only root runs ring-0 programs\n");
		return count;
	}
	ret = kstrtouint(buf, 10, &gid);
	if (ret)
		return ret;
	if (gid > INT_MAX || !gid_valid(make_kgid(&init_user_ns, gid)))
		return -EINVAL;
	mutex_lock(&kml_policy_lock);
	if (gid != kml_exec_gid)
		ret = kml_gate_may_weaken("exec_group");
	if (!ret) {
		WRITE_ONCE(kml_exec_gid, gid);
		pr_notice("exec_group is now %u: its members run ring-0 programs\n",
			  gid);
	}
	mutex_unlock(&kml_policy_lock);
	return ret ?: count;
}

static struct kobj_attribute exec_group_attr = __ATTR_RW_MODE(exec_group, 0644);

/*
 * Seals the gate until reboot (kml_sealed above): kml.ko takes a reference
 * on itself that nothing drops. Refused (-EBUSY) while development mode is
 * on: sealing is a promise about what runs at CPL 0.
 */
static int kml_gate_seal_locked(void)
{
	lockdep_assert_held(&kml_policy_lock);
	if (kml_sealed)
		return 0;
	if (kml_allow_unsigned) {
		pr_notice("sealing refused: allow_unsigned is on\n");
		return -EBUSY;
	}
	/*
	 * What runs was approved by the unsealed policy (development mode,
	 * ".kml"), and its held files would go on answering mprotect().
	 */
	if (kml_ring0_tasks() || kml_gate_holds_any()) {
		pr_notice("sealing refused: ring-0 programs run (seal before starting any)\n");
		return -EBUSY;
	}
	/* A forced unload would drop the seal with kml.ko. */
	if (IS_ENABLED(CONFIG_MODULE_FORCE_UNLOAD)) {
		pr_notice("sealing refused: this kernel can force a module out (CONFIG_MODULE_FORCE_UNLOAD)\n");
		return -EOPNOTSUPP;
	}
	__module_get(THIS_MODULE);
	WRITE_ONCE(kml_sealed, true);
	pr_notice("sealed until reboot: kml.ko stays, the policy only gets stricter, .kml is not trusted\n");
	return 0;
}

static ssize_t sealed_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", kml_gate_sealed());
}

/* 1 seals; 0 is refused once sealed. */
static ssize_t sealed_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	bool on;
	int ret = kstrtobool(buf, &on);

	if (ret)
		return ret;
	mutex_lock(&kml_policy_lock);
	if (on)
		ret = kml_gate_seal_locked();
	else if (kml_sealed)
		ret = -EPERM;
	mutex_unlock(&kml_policy_lock);
	return ret ?: count;
}

static struct kobj_attribute sealed_attr = __ATTR_RW_MODE(sealed, 0644);

static ssize_t unsigned_execs_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&kml_gate_unsigned_execs));
}

static struct kobj_attribute unsigned_execs_attr = __ATTR_RO(unsigned_execs);

/*
 * Checks that took a held file's digest instead of reading the file
 * (cache_hits), and of those the ones that also took its kept verdict
 * instead of verifying its signature (verdict_hits).
 */
static ssize_t verdict_hits_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&kml_gate_verdict_hits));
}

static struct kobj_attribute verdict_hits_attr = __ATTR_RO(verdict_hits);

static ssize_t cache_hits_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&kml_gate_cache_hits));
}

static struct kobj_attribute cache_hits_attr = __ATTR_RO(cache_hits);

/* /sys/kernel/kml/refused: one line a reason, "<name> <count>". */
static ssize_t refused_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	int len = 0, r;

	for (r = KML_GATE_ALLOWED + 1; r < KML_GATE_NR_REASONS; r++)
		len += sysfs_emit_at(buf, len, "%s %ld\n", kml_gate_reasons[r].name,
				     atomic_long_read(&kml_gate_refused[r]));
	return len;
}

static struct kobj_attribute kml_gate_refused_attr = __ATTR_RO(refused);

static struct attribute *kml_gate_policy_attrs[] = {
	&min_assurance_attr.attr,
	&min_generation_attr.attr,
	&allow_unsigned_attr.attr,
	&allow_bypass_attr.attr,
	&exec_group_attr.attr,
	&unsigned_execs_attr.attr,
	&cache_hits_attr.attr,
	&verdict_hits_attr.attr,
	&sealed_attr.attr,
	&kml_gate_refused_attr.attr,
	&kml_approvals_attr.attr,
	NULL,
};

const struct attribute_group kml_gate_policy_group = {
	.attrs = kml_gate_policy_attrs,
};

/*
 * kml's own keyring, ".kml", for development keys: root adds certificates
 * (keyctl padd asymmetric "" %:.kml < cert.der, or `kml key enroll`) and
 * can lock it (keyctl restrict_keyring %:.kml). Nobody possesses it; root
 * (the owner) may view, read, search, add to and restrict it.
 */
int kml_gate_init(void)
{
	int assurance, r;

	for (r = 0; r < KML_GATE_NR_REASONS; r++)
		if (WARN_ON(kml_gate_reasons[r].reason != r))
			return -EINVAL;
	assurance = match_string(kml_assurance_names,
				 ARRAY_SIZE(kml_assurance_names),
				 min_assurance_param);

	if (assurance < KML_ASSURANCE_TRUSTED) {
		pr_err("min_assurance=%s: not trusted, validated or verified\n",
		       min_assurance_param);
		return -EINVAL;
	}
	if (sealed_param && allow_unsigned_param) {
		pr_err("sealed and allow_unsigned: a sealed gate runs no unsigned program\n");
		return -EINVAL;
	}
	/* Sealed, the policy is fixed at load: ring 0 then runs under lockdown. */
	if ((allow_unsigned_param ||
	     (assurance < KML_ASSURANCE_VERIFIED && !sealed_param)) &&
	    security_locked_down(LOCKDOWN_INTEGRITY_MAX)) {
		pr_err("the kernel is locked down: no weaker policy than the default\n");
		return -EPERM;
	}
	kml_min_assurance = assurance;
	kml_allow_unsigned = allow_unsigned_param;
	if (kml_allow_unsigned)
		pr_warn("allow_unsigned is on: unsigned programs run at ring 0 (development mode)\n");

	/*
	 * Root adds development keys, may lock it (restrict_keyring) and
	 * may take keys out again. Not KEY_ALLOC_SET_KEEP: every key added
	 * to a keyring that has KEY_FLAG_KEEP gets it too, and could never
	 * be unlinked.
	 */
	kml_keyring = keyring_alloc(".kml", GLOBAL_ROOT_UID, GLOBAL_ROOT_GID,
				    current_cred(),
				    KEY_USR_VIEW | KEY_USR_READ | KEY_USR_WRITE |
				    KEY_USR_SEARCH | KEY_USR_SETATTR,
				    KEY_ALLOC_NOT_IN_QUOTA,
				    NULL, NULL);
	if (IS_ERR(kml_keyring)) {
		int err = PTR_ERR(kml_keyring);

		kml_keyring = NULL;
		return err;
	}
	return 0;
}

/* During the load, before anything is approved: seals if sealed=1. */
int kml_gate_seal_at_load(void)
{
	int ret;

	if (!sealed_param)
		return 0;
	mutex_lock(&kml_policy_lock);
	ret = kml_gate_seal_locked();
	mutex_unlock(&kml_policy_lock);
	return ret;
}

/* No ring-0 program runs (each pins the module); failed execs may be left. */
void kml_gate_exit(void)
{
	LIST_HEAD(all);

	spin_lock(&kml_gate_held_lock);
	list_splice_init(&kml_gate_held_list, &all);
	spin_unlock(&kml_gate_held_lock);
	kml_gate_release_all(&all);
	kml_approvals_exit();
	key_revoke(kml_keyring);
	key_put(kml_keyring);
	kml_keyring = NULL;
}
