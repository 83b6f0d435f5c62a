// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/kml/approvals: signed lists of files approved as they are,
 * for code that must not be modified to carry a signature (a
 * distribution's loader and libraries, its programs). docs/gate.md.
 *
 * A list file is one PKCS#7 signed-data message whose manifest holds an
 * entry a file: SHA-256 and length of the whole file, role, assurance,
 * flags (linux/kml_manifest.h). Root writes the list's absolute path to
 * the attribute; the kernel reads the file itself (kernel_read_file(),
 * as for a security policy), verifies it with the gate's keyrings, checks
 * its generation against min_generation, and keeps its entries. Writing
 * the same path again replaces that list; writing "clear" drops them all.
 * Reading gives a line a list: "generation=G entries=N path=P".
 *
 * The gate asks kml_approvals_find() for a file that carries no appended
 * signature (loader/gate.c): a file is approved by a list when a list
 * holds an entry with its digest and length.
 *
 * State: kml_approvals, an RCU-protected array of lists, replaced whole
 * under kml_approvals_mutex by writers (rare) and read under
 * rcu_read_lock() by the gate (every check of an unsigned file).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bsearch.h>
#include <linux/capability.h>
#include <linux/kernel_read_file.h>
#include <linux/kml_manifest.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/vmalloc.h>

#include "gate.h"

#define KML_APPROVAL_LISTS_MAX 64

/* One loaded list: its entries sorted by digest. */
struct kml_approval_list {
	struct rcu_head rcu;
	char *path;
	struct kml_manifest_header header;
	/* Signed by a key of ".kml": trusted no more once the gate is sealed. */
	bool dev_key;
	u32 count;
	struct kml_manifest_entry *entries;
};

struct kml_approval_set {
	struct rcu_head rcu;
	u32 count;
	struct kml_approval_list *lists[];
};

static struct kml_approval_set __rcu *kml_approvals;
static DEFINE_MUTEX(kml_approvals_mutex);

static int kml_entry_cmp(const void *a, const void *b)
{
	const struct kml_manifest_entry *x = a, *y = b;

	return memcmp(x->digest, y->digest, KML_DIGEST_SIZE);
}

static void kml_list_free(struct kml_approval_list *list)
{
	if (!list)
		return;
	kvfree(list->entries);
	kfree(list->path);
	kfree(list);
}

static void kml_list_free_rcu(struct rcu_head *rcu)
{
	kml_list_free(container_of(rcu, struct kml_approval_list, rcu));
}

bool kml_approvals_any(void)
{
	return !!rcu_access_pointer(kml_approvals);
}

/*
 * Whether a loaded list approves a file of @length bytes with @digest;
 * if so, the list's header and the entry in @header and @entry (the one
 * of the newest generation when several lists hold the file).
 */
bool kml_approvals_find(const u8 *digest, u64 length,
			struct kml_manifest_header *header,
			struct kml_manifest_entry *entry)
{
	struct kml_manifest_entry key;
	const struct kml_approval_set *set;
	bool found = false;
	u32 i;

	memcpy(key.digest, digest, KML_DIGEST_SIZE);
	rcu_read_lock();
	set = rcu_dereference(kml_approvals);
	for (i = 0; set && i < set->count; i++) {
		const struct kml_approval_list *list = set->lists[i];
		const struct kml_manifest_entry *e;

		if (list->dev_key && kml_gate_sealed())
			continue;
		e = bsearch(&key, list->entries, list->count, sizeof(*e),
			    kml_entry_cmp);
		if (!e || le64_to_cpu(e->length) != length)
			continue;
		if (found && le64_to_cpu(list->header.generation) <=
			     le64_to_cpu(header->generation))
			continue;
		*header = list->header;
		*entry = *e;
		found = true;
	}
	rcu_read_unlock();
	return found;
}

/*
 * verify_pkcs7_signature()'s view of a list: a manifest of any size whose
 * entries are sorted by digest, none twice (kml_approvals_check()).
 */
static int kml_list_view(void *ctx, const void *data, size_t len,
			 size_t asn1hdrlen)
{
	struct kml_approval_list *list = ctx;
	struct kml_manifest_header header;

	if (kml_approvals_check(data, len) != KML_MANIFEST_OK)
		return -EBADMSG;
	memcpy(&header, data, sizeof(header));
	list->count = le16_to_cpu(header.entry_count);
	list->entries = kvmalloc_array(list->count, sizeof(*list->entries),
				       GFP_KERNEL);
	if (!list->entries)
		return -ENOMEM;
	list->header = header;
	memcpy(list->entries, data + sizeof(header),
	       list->count * sizeof(*list->entries));
	return 0;
}

/* Reads, verifies and checks the list at @path: the list or ERR_PTR. */
static struct kml_approval_list *kml_list_load(const char *path)
{
	enum kml_signer_anchor anchor = KML_SIGNER_NONE;
	struct kml_approval_list *list;
	void *buf = NULL;
	ssize_t len;
	u64 generation;
	int ret;

	list = kzalloc(sizeof(*list), GFP_KERNEL);
	if (!list)
		return ERR_PTR(-ENOMEM);
	list->path = kstrdup(path, GFP_KERNEL);
	if (!list->path) {
		ret = -ENOMEM;
		goto fail;
	}
	len = kernel_read_file_from_path(path, 0, &buf, KML_APPROVALS_MAX_LEN,
					 NULL, READING_POLICY);
	if (len < 0) {
		ret = len;
		goto fail;
	}
	ret = kml_gate_verify_signed(buf, len, kml_list_view, list, &anchor);
	vfree(buf);
	list->dev_key = anchor == KML_SIGNER_KML;
	if (ret)
		goto fail;
	generation = le64_to_cpu(list->header.generation);
	if (!kml_gate_generation_ok(generation)) {
		ret = kml_gate_refuse_as("list", path,
					 KML_GATE_STALE_GENERATION,
					 "an approval list");
		goto fail;
	}
	return list;
fail:
	kml_list_free(list);
	return ERR_PTR(ret);
}

/*
 * Publishes @set instead of the current one; the old set goes after a
 * grace period, with @drop (a list @set no longer holds, or NULL) or,
 * when @drop_all, with every list it held.
 */
static void kml_set_publish(struct kml_approval_set *set,
			    struct kml_approval_list *drop, bool drop_all)
{
	struct kml_approval_set *old;
	u32 i;

	old = rcu_replace_pointer(kml_approvals, set,
				  lockdep_is_held(&kml_approvals_mutex));
	if (drop)
		call_rcu(&drop->rcu, kml_list_free_rcu);
	for (i = 0; drop_all && old && i < old->count; i++)
		call_rcu(&old->lists[i]->rcu, kml_list_free_rcu);
	if (old)
		kfree_rcu(old, rcu);
}

/* Adds @list, replacing one loaded from the same path. */
static int kml_approvals_add(struct kml_approval_list *list)
{
	struct kml_approval_set *old, *set;
	struct kml_approval_list *replaced = NULL;
	u32 i, n = 0;

	mutex_lock(&kml_approvals_mutex);
	old = rcu_dereference_protected(kml_approvals,
					lockdep_is_held(&kml_approvals_mutex));
	for (i = 0; old && i < old->count; i++)
		if (!strcmp(old->lists[i]->path, list->path))
			replaced = old->lists[i];
	if (old && !replaced && old->count >= KML_APPROVAL_LISTS_MAX) {
		mutex_unlock(&kml_approvals_mutex);
		return -ENOSPC;
	}
	set = kzalloc(struct_size(set, lists, (old ? old->count : 0) + 1),
		      GFP_KERNEL);
	if (!set) {
		mutex_unlock(&kml_approvals_mutex);
		return -ENOMEM;
	}
	for (i = 0; old && i < old->count; i++)
		if (old->lists[i] != replaced)
			set->lists[n++] = old->lists[i];
	set->lists[n++] = list;
	set->count = n;
	kml_set_publish(set, replaced, false);
	mutex_unlock(&kml_approvals_mutex);
	return 0;
}

static void kml_approvals_clear(void)
{
	mutex_lock(&kml_approvals_mutex);
	kml_set_publish(NULL, NULL, true);
	mutex_unlock(&kml_approvals_mutex);
}

static ssize_t approvals_show(struct kobject *kobj, struct kobj_attribute *attr,
			      char *buf)
{
	const struct kml_approval_set *set;
	int len = 0;
	u32 i;

	rcu_read_lock();
	set = rcu_dereference(kml_approvals);
	for (i = 0; set && i < set->count; i++) {
		const struct kml_approval_list *list = set->lists[i];

		if (PAGE_SIZE - len < 64 + strlen(list->path))
			break;
		len += sysfs_emit_at(buf, len, "generation=%llu entries=%u path=%s\n",
				     le64_to_cpu(list->header.generation),
				     list->count, list->path);
	}
	rcu_read_unlock();
	return len;
}

/* "PATH\n" loads (or reloads) the list at PATH; "clear" drops every list. */
static ssize_t approvals_store(struct kobject *kobj, struct kobj_attribute *attr,
			       const char *buf, size_t count)
{
	struct kml_approval_list *list;
	char *path;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	path = kstrndup(buf, count, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	strim(path);
	if (!strcmp(path, "clear")) {
		kml_approvals_clear();
		pr_notice("approval lists cleared\n");
		ret = count;
		goto out;
	}
	if (path[0] != '/') {
		ret = -EINVAL;
		goto out;
	}
	list = kml_list_load(path);
	if (IS_ERR(list)) {
		ret = PTR_ERR(list);
		pr_notice_ratelimited("%s: approval list not loaded (errno %d)\n",
				      path, -ret);
		goto out;
	}
	ret = kml_approvals_add(list);
	if (ret) {
		kml_list_free(list);
		goto out;
	}
	pr_notice("%s: approval list loaded: generation %llu, %u entries\n",
		  path, le64_to_cpu(list->header.generation), list->count);
	ret = count;
out:
	kfree(path);
	return ret;
}

/* Root only: the paths of the lists name what runs at ring 0. */
struct kobj_attribute kml_approvals_attr = __ATTR(approvals, 0600,
						  approvals_show,
						  approvals_store);

void kml_approvals_exit(void)
{
	kml_approvals_clear();
	/* call_rcu() callbacks are module code: wait for them. */
	rcu_barrier();
}
