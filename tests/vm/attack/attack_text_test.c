// SPDX-License-Identifier: GPL-2.0
/*
 * Finding 9: the code of a ring-0 task runs at CPL 0, so whoever may write
 * it runs code at CPL 0. The kernel lets a process write its own
 * read-only text through /proc/self/mem (FOLL_FORCE: how debuggers set
 * breakpoints) and lets root do it to a tracee with PTRACE_POKETEXT. For
 * a ring-0 task both must fail and leave the text as it was; its
 * writable data stays writable (PTRACE_POKEDATA, process_vm_writev), and
 * process_vm_writev, which never forces, cannot write its text either.
 *
 * The ring-3 copy of the payload (marker disabled) may still write its own
 * text: that is the documented difference.
 *
 * Root may also plant uprobes (an int3 on a private copy of a code page)
 * in any process, lockdown or not: never in a ring-0 program (0026).
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "attack.h"

#define NEW_DATA 0x2222222222222222UL

ATTACK_FIXTURE(text);

TEST_F(text, ring0_task_cannot_write_its_own_text_through_proc_self_mem)
{
	unsigned long err = 0;
	struct child c;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	ASSERT_EQ(0, payload_run(&c, ATTACK_RING0, (const char *[]){ "self-mem-write", NULL }));
	EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
	EXPECT_TRUE(child_said(&c, "cpl=0")) TH_LOG("%s", c.output);
	EXPECT_TRUE(output_value(&c, "pwrite errno", &err)) TH_LOG("%s", c.output);
	EXPECT_TRUE(err == EFAULT || err == EIO) TH_LOG("pwrite: %s", strerror((int)err));
	EXPECT_TRUE(child_said(&c, "text=unchanged")) TH_LOG("%s", c.output);
}

TEST_F(text, ring3_task_may_write_its_own_text_through_proc_self_mem)
{
	struct child c;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING3, 3);
	ASSERT_EQ(0, payload_run(&c, ATTACK_RING3, (const char *[]){ "self-mem-write", NULL }));
	EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
	EXPECT_STREQ("cpl=3\npwrite=ok\ntext=changed\n", c.output);
}

/* A ring-0 payload waiting on stdin, seized and stopped; its text and data addresses. */
static void stopped_ring0_task(struct __test_metadata *_metadata, struct child *c,
			       unsigned long *text, unsigned long *data)
{
	int ret;

	ASSERT_EQ(0, spawn_ready(c, ATTACK_RING0, (const char *[]){ "wait", NULL }, -1))
		TH_LOG("%s", c->output);
	ASSERT_TRUE(child_said(c, "cpl=0")) TH_LOG("%s", c->output);
	ASSERT_TRUE(output_value(c, "text", text) && output_value(c, "data", data))
		TH_LOG("%s", c->output);
	ret = seize_and_stop(c->pid, 0);
	ASSERT_EQ(0, ret) TH_LOG("seize: %s", strerror(-ret));
}

/* Detaches and lets the payload run to its end: it prints what it holds now. */
static void release(struct __test_metadata *_metadata, struct child *c)
{
	ASSERT_EQ(0, ptrace(PTRACE_DETACH, c->pid, 0, 0));
	ASSERT_EQ(0, child_finish(c, PAYLOAD_TIMEOUT_MS));
	EXPECT_EQ(0, child_exit(c)) TH_LOG("%s", c->output);
}

/* PTRACE_POKETEXT fails and changes nothing; PTRACE_POKEDATA still works. */
TEST_F(text, root_ptrace_writes_reach_a_ring0_tracees_data_but_not_its_text)
{
	unsigned long text, data, word, now;
	struct child c;
	long ret;
	int err;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	stopped_ring0_task(_metadata, &c, &text, &data);
	errno = 0;
	word = ptrace(PTRACE_PEEKTEXT, c.pid, text, 0);
	ASSERT_EQ(0, errno) TH_LOG("PEEKTEXT: %s", strerror(errno));

	ret = ptrace(PTRACE_POKETEXT, c.pid, text, (void *)(word ^ 0xff));
	err = errno;
	EXPECT_EQ(-1, ret) TH_LOG("POKETEXT into a ring-0 tracee's text worked");
	EXPECT_TRUE(err == EIO || err == EFAULT) TH_LOG("POKETEXT: %s", strerror(err));
	errno = 0;
	now = ptrace(PTRACE_PEEKTEXT, c.pid, text, 0);
	ASSERT_EQ(0, errno);
	EXPECT_EQ(word, now) TH_LOG("its text changed");

	EXPECT_EQ(0, ptrace(PTRACE_POKEDATA, c.pid, data, (void *)NEW_DATA))
		TH_LOG("POKEDATA: %s", strerror(errno));
	release(_metadata, &c);
	EXPECT_TRUE(child_said(&c, "after cpl=0 data=0x2222222222222222 text=0xc3"))
		TH_LOG("%s", c.output);
}

/* process_vm_writev() of @len bytes at @addr in @pid: bytes written or -errno. */
static long vm_write(pid_t pid, unsigned long addr, const void *buf, size_t len)
{
	struct iovec local = { .iov_base = (void *)buf, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)addr, .iov_len = len };
	ssize_t n = process_vm_writev(pid, &local, 1, &remote, 1, 0);

	return n < 0 ? -errno : n;
}

TEST_F(text, process_vm_writev_into_ring0_text_fails_but_into_its_data_works)
{
	const unsigned long new_data = NEW_DATA;
	const unsigned char nop = 0x90;
	unsigned long text, data;
	struct child c;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	/* A kernel without CONFIG_CROSS_MEMORY_ATTACH has no such call. */
	if (vm_write(getpid(), (unsigned long)&data, &new_data, 0) == -ENOSYS)
		SKIP(return, "process_vm_writev: ENOSYS (no CONFIG_CROSS_MEMORY_ATTACH)");
	stopped_ring0_task(_metadata, &c, &text, &data);
	EXPECT_GT(0, vm_write(c.pid, text, &nop, 1)) TH_LOG("process_vm_writev wrote its text");
	EXPECT_EQ((long)sizeof(new_data), vm_write(c.pid, data, &new_data, sizeof(new_data)));
	release(_metadata, &c);
	EXPECT_TRUE(child_said(&c, "after cpl=0 data=0x2222222222222222 text=0xc3"))
		TH_LOG("%s", c.output);
}

#define TRACEFS "/sys/kernel/tracing/"

/*
 * The file offset of @vaddr in @payload (a static program: addresses are
 * its own), in a PT_LOAD with all of @flags; its entry point if @vaddr is
 * 0. -1 if none.
 */
static long file_offset(const char *payload, unsigned long vaddr,
			Elf64_Word flags)
{
	int fd = open(payload_path(payload), O_RDONLY | O_CLOEXEC);
	long off = -1;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int i;

	if (fd < 0)
		return -1;
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh))
		goto out;
	if (!vaddr)
		vaddr = eh.e_entry;
	for (i = 0; i < eh.e_phnum && off < 0; i++) {
		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph)) != sizeof(ph))
			break;
		if (ph.p_type == PT_LOAD && (ph.p_flags & flags) == flags &&
		    vaddr >= ph.p_vaddr && vaddr < ph.p_vaddr + ph.p_filesz)
			off = vaddr - ph.p_vaddr + ph.p_offset;
	}
out:
	close(fd);
	return off;
}

/* Writes @text to the tracefs file @name (appending if @append): 0 or -errno. */
static int tracefs_write(const char *name, const char *text, bool append)
{
	char path[128];

	snprintf(path, sizeof(path), TRACEFS "%s", name);
	return kml_write_text(path, text, append ? O_APPEND : O_TRUNC);
}

/* Defines uprobe kmltest/@name at @payload's entry: 0 or -errno. */
static int probe_entry(const char *name, const char *payload)
{
	char def[PATH_MAX + 64];
	long off = file_offset(payload, 0, PF_X);

	if (off < 0)
		return -ENOEXEC;
	snprintf(def, sizeof(def), "p:kmltest/%s %s:0x%lx\n", name,
		 payload_path(payload), off);
	return tracefs_write("uprobe_events", def, true);
}

/* The hits of uprobe kmltest/@name in uprobe_profile; -1 if not listed. */
static long uprobe_hits(const char *name)
{
	char line[PATH_MAX + 128], path[PATH_MAX], event[128];
	FILE *f = fopen(TRACEFS "uprobe_profile", "re");
	unsigned long n;
	long hits = -1;

	if (!f)
		return -1;
	while (hits < 0 && fgets(line, sizeof(line), f))
		if (sscanf(line, "%4095s %127s %lu", path, event, &n) == 3 &&
		    !strcmp(event, name))
			hits = n;
	fclose(f);
	return hits;
}

static void remove_probes(void)
{
	tracefs_write("events/kmltest/enable", "0", false);
	tracefs_write("uprobe_events", "-:kmltest/ring0\n", true);
	tracefs_write("uprobe_events", "-:kmltest/ring3\n", true);
}

/*
 * In a test body: both forms of the payload, and tracefs's uprobe_events
 * (mounted if need be), with no probe of ours left from before; or skip.
 */
#define REQUIRE_UPROBES(env) do {					\
	REQUIRE_ATTACK_FORM(env, ATTACK_RING0, 0);			\
	REQUIRE_ATTACK_FORM(env, ATTACK_RING3, 3);			\
	if (access(TRACEFS "uprobe_events", F_OK))			\
		mount("tracefs", TRACEFS, "tracefs", 0, NULL);		\
	if (access(TRACEFS "uprobe_events", W_OK))			\
		SKIP(return, "no uprobe_events in tracefs");		\
	remove_probes();						\
} while (0)

TEST_F(text, a_uprobe_is_never_planted_in_a_ring0_program)
{
	struct child c;

	REQUIRE_UPROBES(&self->env);
	/* a probe at each form's entry: the same code, two files */
	ASSERT_EQ(0, probe_entry("ring0", ATTACK_RING0));
	ASSERT_EQ(0, probe_entry("ring3", ATTACK_RING3));
	ASSERT_EQ(0, tracefs_write("events/kmltest/enable", "1", false));

	ASSERT_EQ(0, payload_run(&c, ATTACK_RING3, (const char *[]){ "cpl", NULL }));
	EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
	ASSERT_EQ(0, payload_run(&c, ATTACK_RING0, (const char *[]){ "cpl", NULL }));
	EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
	EXPECT_TRUE(child_said(&c, "cpl=0")) TH_LOG("%s", c.output);

	EXPECT_LT(0, uprobe_hits("ring3")) TH_LOG("the probe does not work at all");
	EXPECT_EQ(0, uprobe_hits("ring0"));
	remove_probes();
}

/*
 * Enables uprobe kmltest/@name at @payload's entry with a reference
 * counter on the 16 bits at @data, while @c runs it "wait"; then lets @c
 * end and returns the value of data_victim it printed then (0 if none).
 */
static unsigned long ref_ctr_after(const char *name, const char *payload,
				   struct child *c, unsigned long data)
{
	char def[PATH_MAX + 96];
	unsigned long after = 0;
	long ref = file_offset(payload, data, PF_W);
	const char *line;

	if (ref < 0)
		return 0;
	snprintf(def, sizeof(def), "p:kmltest/%s %s:0x%lx(0x%lx)\n", name,
		 payload_path(payload), file_offset(payload, 0, PF_X), ref);
	tracefs_write("uprobe_events", def, true);
	/* for the ring-0 form the registration itself fails (EPERM) */
	tracefs_write("events/kmltest/enable", "1", false);
	child_finish(c, PAYLOAD_TIMEOUT_MS);
	line = strstr(c->output, "after ");
	if (line && (line = strstr(line, " data=")))
		after = strtoul(line + 6, NULL, 0);
	remove_probes();
	return after;
}

TEST_F(text, a_uprobe_reference_counter_never_writes_a_ring0_programs_data)
{
	unsigned long data = 0;
	struct child c;

	REQUIRE_UPROBES(&self->env);

	/* at ring 3 the counter adds 1 to the low 16 bits of data_victim */
	ASSERT_EQ(0, spawn_ready(&c, ATTACK_RING3, (const char *[]){ "wait", NULL }, -1))
		TH_LOG("%s", c.output);
	ASSERT_TRUE(output_value(&c, "data", &data)) TH_LOG("%s", c.output);
	EXPECT_EQ(0x1111111111111112UL, ref_ctr_after("ring3", ATTACK_RING3, &c, data))
		TH_LOG("%s", c.output);

	ASSERT_EQ(0, spawn_ready(&c, ATTACK_RING0, (const char *[]){ "wait", NULL }, -1))
		TH_LOG("%s", c.output);
	ASSERT_TRUE(child_said(&c, "cpl=0")) TH_LOG("%s", c.output);
	ASSERT_TRUE(output_value(&c, "data", &data)) TH_LOG("%s", c.output);
	EXPECT_EQ(0x1111111111111111UL, ref_ctr_after("ring0", ATTACK_RING0, &c, data))
		TH_LOG("%s", c.output);
}

TEST_HARNESS_MAIN
