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
 * State (all created at load, gone at unload): the policy, three scalars
 * read once an exec with READ_ONCE() and written by sysfs stores, which
 * need no lock (min_generation only grows: a cmpxchg loop); the refusal
 * counters (atomics); the ".kml" keyring, whose own lock serialises
 * additions.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/sha2.h>
#include <keys/system_keyring.h>
#include <linux/binfmts.h>
#include <linux/cred.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/key.h>
#include <linux/moduleparam.h>
#include <linux/module.h>
#include <linux/kml_gate.h>
#include <linux/kml_manifest.h>
#include <linux/kml_note.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/verification.h>

#include "../kml/kml.h"

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

/*
 * The policy (docs/gate.md): /sys/kernel/kml/min_assurance,
 * min_generation and allow_unsigned below. Module parameters give their
 * values at load (insmod kml.ko min_assurance=trusted); sysfs changes
 * them afterwards.
 */
static u8 kml_min_assurance = KML_ASSURANCE_VERIFIED;
static bool kml_allow_unsigned;
static atomic64_t kml_min_generation = ATOMIC64_INIT(0);

static char *min_assurance_param = "verified";
module_param_named(min_assurance, min_assurance_param, charp, 0);
MODULE_PARM_DESC(min_assurance, "weakest assurance run at ring 0: trusted, validated or verified (default)");
static bool allow_unsigned_param;
module_param_named(allow_unsigned, allow_unsigned_param, bool, 0);
MODULE_PARM_DESC(allow_unsigned, "development mode: unsigned programs run at ring 0 (logged, counted)");

static struct key *kml_keyring;

const char *kml_gate_reason_name(enum kml_gate_reason reason)
{
	return reason < KML_GATE_NR_REASONS ? kml_gate_reasons[reason].name : "?";
}

int kml_gate_refuse(const char *filename, enum kml_gate_reason reason,
		    const char *detail)
{
	const struct kml_gate_reason_info *info = &kml_gate_reasons[reason];

	atomic_long_inc(&kml_gate_refused[reason]);
	pr_notice_ratelimited("%s: refused: %s: %s%s%s (errno %d)\n", filename,
			      info->name, info->what, detail ? ": " : "",
			      detail ?: "", info->err);
	return -info->err;
}

/* What the signature check found, for the exec hook. */
struct kml_gate_found {
	struct kml_manifest_header header;
	struct kml_manifest_entry entry;
	bool have_manifest;
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
	found->have_manifest = true;
	return 0;
}

/* The keyrings tried in turn, as module signing retries on -ENOKEY. */
static int kml_gate_verify(const void *sig, size_t sig_len,
			   struct kml_gate_found *found)
{
	struct key *keyrings[] = {
		VERIFY_USE_SECONDARY_KEYRING, kml_keyring,
		VERIFY_USE_PLATFORM_KEYRING,
	};
	int i, ret = -ENOKEY;

	for (i = 0; i < ARRAY_SIZE(keyrings) && ret == -ENOKEY; i++) {
		if (!keyrings[i])
			continue;
		ret = verify_pkcs7_signature(NULL, 0, sig, sig_len, keyrings[i],
					     VERIFYING_UNSPECIFIED_SIGNATURE,
					     kml_gate_view_manifest, found);
	}
	return ret;
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
		cond_resched();
	}
	if (!ret)
		sha256_final(&state, digest);
	kvfree(buf);
	return ret;
}

/*
 * Reads the appended signature of @file ([PKCS#7][info][magic] at its end)
 * and checks it. Fills @found; returns 0 with found->reason set to the
 * verdict, or -errno when the file could not be read at all.
 */
static int kml_gate_check_file(struct file *file, struct kml_gate_found *found)
{
	const size_t tail = sizeof(struct kml_sig_info) + KML_SIG_MAGIC_LEN;
	u64 size = i_size_read(file_inode(file));
	u8 trailer[sizeof(struct kml_sig_info) + KML_SIG_MAGIC_LEN];
	u8 digest[SHA256_DIGEST_SIZE];
	struct kml_sig_info info;
	loff_t pos;
	u32 sig_len;
	void *sig;
	int ret;

	found->reason = KML_GATE_UNSIGNED;
	found->detail = NULL;
	if (size < tail)
		return 0;
	pos = size - tail;
	if (kernel_read(file, trailer, tail, &pos) != tail)
		return -EIO;
	if (memcmp(trailer + sizeof(info), KML_SIG_MAGIC, KML_SIG_MAGIC_LEN))
		return 0;

	found->reason = KML_GATE_BAD_SIGNATURE;
	memcpy(&info, trailer, sizeof(info));
	sig_len = be32_to_cpu(info.sig_len);
	if (info.id_type != KML_SIG_ID_PKCS7 || !sig_len ||
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
	default:
		/* kml_gate_view_manifest() named it already */
		if (found->reason != KML_GATE_BAD_MANIFEST)
			found->reason = KML_GATE_BAD_SIGNATURE;
		return 0;
	}

	/* The manifest is authentic: now it must describe this file. */
	if (found->entry.role != KML_ROLE_PROGRAM) {
		found->reason = KML_GATE_BAD_MANIFEST;
		found->detail = "the entry is not a program's";
		return 0;
	}
	if (le64_to_cpu(found->entry.length) != size - tail - sig_len) {
		found->reason = KML_GATE_TAMPERED;
		found->detail = "length";
		return 0;
	}
	ret = kml_gate_hash(file, size - tail - sig_len, digest);
	if (ret)
		return ret;
	if (memcmp(digest, found->entry.digest, sizeof(digest))) {
		found->reason = KML_GATE_TAMPERED;
		found->detail = "digest";
		return 0;
	}
	if (is_binary_blacklisted(digest, sizeof(digest))) {
		found->reason = KML_GATE_REVOKED;
		found->detail = "the file's digest";
		return 0;
	}
	found->reason = KML_GATE_ALLOWED;
	return 0;
}

/*
 * The exec hook's question: may this marked program (marker flags
 * @marker_flags) run at CPL 0? 0 if so, else -errno with the reason
 * logged and counted.
 */
int kml_gate_check_exec(struct linux_binprm *bprm, u32 marker_flags)
{
	struct kml_gate_found found = { };
	u64 generation;
	int ret;

	ret = kml_gate_check_file(bprm->file, &found);
	if (ret)
		return ret;
	if (found.reason == KML_GATE_UNSIGNED && READ_ONCE(kml_allow_unsigned)) {
		atomic_long_inc(&kml_gate_unsigned_execs);
		pr_warn_ratelimited("%s: UNSIGNED program at ring 0: development mode (allow_unsigned) is on\n",
				    bprm->filename);
		return 0;
	}
	if (found.reason != KML_GATE_ALLOWED)
		return kml_gate_refuse(bprm->filename, found.reason, found.detail);
	generation = le64_to_cpu(found.header.generation);
	if (generation > S64_MAX ||
	    (s64)generation < atomic64_read(&kml_min_generation))
		return kml_gate_refuse(bprm->filename, KML_GATE_STALE_GENERATION,
				       NULL);
	if (found.entry.assurance < READ_ONCE(kml_min_assurance))
		return kml_gate_refuse(bprm->filename, KML_GATE_ASSURANCE_TOO_LOW,
				       NULL);
	if (!(le32_to_cpu(found.entry.flags) & KML_MANIFEST_F_RING0))
		return kml_gate_refuse(bprm->filename, KML_GATE_NOT_RING0, NULL);
	if ((marker_flags & KML_NOTE_F_BYPASS) &&
	    !(le32_to_cpu(found.entry.flags) & KML_MANIFEST_F_BYPASS))
		return kml_gate_refuse(bprm->filename, KML_GATE_BYPASS_NOT_ALLOWED,
				       NULL);
	return 0;
}

/* --- /sys/kernel/kml/ policy and /sys/kernel/kml/refused/ counters --- */

/* Index = enum kml_manifest_assurance; match_string() stops at a NULL. */
static const char *const kml_assurance_names[] = {
	[0] = "(none)",
	[KML_ASSURANCE_TRUSTED] = "trusted",
	[KML_ASSURANCE_VALIDATED] = "validated",
	[KML_ASSURANCE_VERIFIED] = "verified",
};

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

	if (i < KML_ASSURANCE_TRUSTED)
		return -EINVAL;
	if (i < READ_ONCE(kml_min_assurance) &&
	    security_locked_down(LOCKDOWN_INTEGRITY_MAX))
		return -EPERM;
	WRITE_ONCE(kml_min_assurance, i);
	pr_notice("min_assurance is now %s\n", kml_assurance_names[i]);
	return count;
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
	if (on && security_locked_down(LOCKDOWN_INTEGRITY_MAX))
		return -EPERM;
	WRITE_ONCE(kml_allow_unsigned, on);
	if (on)
		pr_warn("allow_unsigned is on: unsigned programs run at ring 0 (development mode)\n");
	else
		pr_notice("allow_unsigned is off\n");
	return count;
}

static struct kobj_attribute allow_unsigned_attr = __ATTR_RW_MODE(allow_unsigned, 0644);

static ssize_t unsigned_execs_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&kml_gate_unsigned_execs));
}

static struct kobj_attribute unsigned_execs_attr = __ATTR_RO(unsigned_execs);

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
	&unsigned_execs_attr.attr,
	&kml_gate_refused_attr.attr,
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
	if ((assurance < KML_ASSURANCE_VERIFIED || allow_unsigned_param) &&
	    security_locked_down(LOCKDOWN_INTEGRITY_MAX)) {
		pr_err("the kernel is locked down: no weaker policy than the default\n");
		return -EPERM;
	}
	kml_min_assurance = assurance;
	kml_allow_unsigned = allow_unsigned_param;
	if (kml_allow_unsigned)
		pr_warn("allow_unsigned is on: unsigned programs run at ring 0 (development mode)\n");

	kml_keyring = keyring_alloc(".kml", GLOBAL_ROOT_UID, GLOBAL_ROOT_GID,
				    current_cred(),
				    KEY_USR_VIEW | KEY_USR_READ | KEY_USR_WRITE |
				    KEY_USR_SEARCH | KEY_USR_SETATTR,
				    KEY_ALLOC_NOT_IN_QUOTA | KEY_ALLOC_SET_KEEP,
				    NULL, NULL);
	if (IS_ERR(kml_keyring)) {
		int err = PTR_ERR(kml_keyring);

		kml_keyring = NULL;
		return err;
	}
	return 0;
}

void kml_gate_exit(void)
{
	key_revoke(kml_keyring);
	key_put(kml_keyring);
	kml_keyring = NULL;
}
