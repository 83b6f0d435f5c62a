// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/kml/programs: how each ring-0 program's system calls
 * arrived, so that the rewriter's coverage is measured, not assumed.
 *
 * A program is one exec'd image and the processes forked from it (see
 * struct kml_program in <linux/kml.h>). One line each, running programs
 * first, then the last KML_HISTORY programs that ended, newest first:
 *
 *   seq=17 pid=1234 state=running direct=1500 bypass=0 slow=3
 *   elsewhere=0 sites=0x401a2c:2,0x40ff10:1 comm=busybox
 *
 * (one line in the file). Keys may be added; comm comes last because it
 * may hold spaces. Lines that would not fit in the page are left out.
 *
 * State: kml_history, a ring of the programs that ended, under
 * kml_history_lock (a spinlock: the core reports an ending program from
 * exit_mmap() and the report may not sleep; never taken from interrupts).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kml.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "kml.h"

#define KML_HISTORY	32
/* Room one line needs at most: sysfs gives us one page. */
#define KML_LINE_MAX	(224 + KML_SLOW_SITES * 42 + TASK_COMM_LEN)

/* A program's counters at one moment. */
struct kml_record {
	u64 seq;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	struct kml_counters calls;
	unsigned long elsewhere;
	unsigned long site_ip[KML_SLOW_SITES];
	unsigned long site_count[KML_SLOW_SITES];
};

static struct kml_record kml_history[KML_HISTORY];
static unsigned int kml_history_next;	/* slot the next ending program takes */
static unsigned int kml_history_len;
static DEFINE_SPINLOCK(kml_history_lock);

static void kml_snapshot(const struct kml_program *prog, struct kml_record *rec)
{
	int i;

	rec->seq = prog->seq;
	rec->pid = prog->pid;
	strscpy(rec->comm, prog->comm, sizeof(rec->comm));
	kml_program_counters(prog, &rec->calls);
	rec->elsewhere = atomic_long_read(&prog->slow_elsewhere);
	for (i = 0; i < KML_SLOW_SITES; i++) {
		rec->site_ip[i] = READ_ONCE(prog->sites[i].ip);
		rec->site_count[i] = atomic_long_read(&prog->sites[i].count);
	}
}

/* Called by the core when a started program's last process is gone. */
void kml_programs_record_exit(const struct kml_program *prog)
{
	struct kml_record rec;

	kml_snapshot(prog, &rec);
	spin_lock(&kml_history_lock);
	kml_history[kml_history_next] = rec;
	kml_history_next = (kml_history_next + 1) % KML_HISTORY;
	if (kml_history_len < KML_HISTORY)
		kml_history_len++;
	spin_unlock(&kml_history_lock);
}

/* Append one line to @buf at @at; returns the new length. */
static int kml_emit(char *buf, int at, const struct kml_record *rec,
		    const char *state)
{
	bool any = false;
	int i;

	at += sysfs_emit_at(buf, at,
			    "seq=%llu pid=%d state=%s direct=%lu bypass=%lu slow=%lu elsewhere=%lu sites=",
			    rec->seq, rec->pid, state, rec->calls.direct,
			    rec->calls.bypass, rec->calls.slow, rec->elsewhere);
	for (i = 0; i < KML_SLOW_SITES; i++) {
		if (!rec->site_ip[i])
			continue;
		at += sysfs_emit_at(buf, at, "%s0x%lx:%lu", any ? "," : "",
				    rec->site_ip[i], rec->site_count[i]);
		any = true;
	}
	return at + sysfs_emit_at(buf, at, "%s comm=%s\n", any ? "" : "-",
				  rec->comm);
}

struct kml_emit_state {
	struct kml_program_visitor visitor;
	char *buf;
	int at;
};

static int kml_emit_running(struct kml_program_visitor *v,
			    const struct kml_program *prog)
{
	struct kml_emit_state *st = container_of(v, struct kml_emit_state, visitor);
	struct kml_record rec;

	if (PAGE_SIZE - st->at < KML_LINE_MAX)
		return 1;	/* full: stop walking */
	kml_snapshot(prog, &rec);
	st->at = kml_emit(st->buf, st->at, &rec, "running");
	return 0;
}

static ssize_t programs_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	struct kml_emit_state st = {
		.visitor.visit = kml_emit_running,
		.buf = buf,
	};
	struct kml_record *rec;
	unsigned int i, n;

	kml_visit_programs(&st.visitor);

	/* Copy under the lock, format outside it: the ring is small. */
	rec = kmalloc_array(KML_HISTORY, sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	spin_lock(&kml_history_lock);
	n = kml_history_len;
	for (i = 0; i < n; i++)
		rec[i] = kml_history[(kml_history_next + KML_HISTORY - 1 - i) %
				     KML_HISTORY];
	spin_unlock(&kml_history_lock);

	for (i = 0; i < n && PAGE_SIZE - st.at >= KML_LINE_MAX; i++)
		st.at = kml_emit(buf, st.at, &rec[i], "exited");
	kfree(rec);
	return st.at;
}

/*
 * Root only: the lines name other users' programs and the user-space code
 * addresses of their slow sites (their ASLR layout).
 */
struct kobj_attribute kml_programs_attr = __ATTR(programs, 0400,
						 programs_show, NULL);
