// SPDX-License-Identifier: GPL-2.0
/*
 * Who may start a ring-0 program, and the module's life around ring-0
 * tasks: only root may exec a marked program (others get EPERM, counted
 * in /sys/kernel/kml/); while a ring-0 task lives kml.ko cannot be
 * removed; once they are gone it unloads cleanly, again and again.
 *
 * Counter files (names proposed in README.md; a missing one skips only
 * the assertion that reads it):
 *   ring0_execs    marked programs started at CPL 0 since load
 *   ring0_tasks    ring-0 tasks alive now
 *   refused_eperm  execs of marked programs refused with EPERM
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/kml_note.h>

#include "kselftest_harness.h"
#include "ring0.h"

#define KML_COUNTER_ENOEXEC KML_SYSFS "/refused_enoexec"

/* The image's /etc/passwd has nobody:x:65534:65534. */
#define NOBODY 65534

RING0_FIXTURE(policy);

/* Runs form as nobody, expecting it to run "cpl" at cpl. */
static void expect_runs_as_nobody(struct __test_metadata *_metadata, const char *form, int cpl)
{
	struct spawn_opts opts = SPAWN_DEFAULTS;
	struct child c;

	opts.uid = NOBODY;
	ASSERT_EQ(0, child_spawn(&c, form, (const char *[]){ "cpl", NULL }, &opts))
		TH_LOG("exec as uid %d: %s", NOBODY, strerror(c.exec_errno));
	ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ(cpl == 0 ? "cpl=0\n" : "cpl=3\n", c.output);
}

/*
 * Writes a copy of the payload form src to dst (mode 0755) with its KML
 * marker's version and flags replaced. 0, or -errno (-ENOENT: no marker).
 */
static int copy_with_marker(const char *src, const char *dst, __u32 version, __u32 flags)
{
	int fd = open(payload_path(src), O_RDONLY | O_CLOEXEC);
	struct stat st;
	unsigned char *image;
	const Elf64_Ehdr *eh;
	int i, ret = -ENOENT;

	if (fd < 0 || fstat(fd, &st))
		return -errno;
	image = malloc(st.st_size);
	if (!image || read(fd, image, st.st_size) != st.st_size) {
		close(fd);
		free(image);
		return -EIO;
	}
	close(fd);
	eh = (const Elf64_Ehdr *)image;
	for (i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(image + eh->e_phoff) + i;
		size_t align = ph->p_align == 8 ? 8 : 4, off = ph->p_offset;
		size_t end = ph->p_offset + ph->p_filesz;

		if (ph->p_type != PT_NOTE || end > (size_t)st.st_size)
			continue;
		while (off + sizeof(Elf64_Nhdr) <= end) {
			const Elf64_Nhdr *nh = (const Elf64_Nhdr *)(image + off);
			size_t name = off + sizeof(*nh);
			size_t desc = name + ((nh->n_namesz + align - 1) & ~(align - 1));

			if (nh->n_type == NT_KML_MARKER && nh->n_namesz == KML_NOTE_NAMESZ &&
			    !memcmp(image + name, KML_NOTE_NAME, KML_NOTE_NAMESZ) &&
			    desc + KML_NOTE_MIN_DESCSZ <= end) {
				struct kml_note *note = (struct kml_note *)(image + desc);

				note->version = version;
				note->flags = flags;
				ret = 0;
			}
			off = desc + ((nh->n_descsz + align - 1) & ~(align - 1));
		}
	}
	if (!ret) {
		fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
		if (fd < 0 || write(fd, image, st.st_size) != st.st_size)
			ret = -errno;
		if (fd >= 0)
			close(fd);
	}
	free(image);
	return ret;
}

/* Execs an edited copy of the marked payload; returns what child_spawn did. */
static int spawn_edited(struct __test_metadata *_metadata, struct child *c,
			__u32 version, __u32 flags)
{
	char path[64];
	int ret;

	snprintf(path, sizeof(path), "/tmp/kml-ring0-edited-%d", getpid());
	ret = copy_with_marker(PAYLOAD_RING0, path, version, flags);
	if (ret)
		TH_LOG("copy_with_marker: %s", strerror(-ret));
	if (ret)
		return ret;
	/* child_spawn runs files next to the test: pass the absolute path. */
	ret = child_spawn(c, path, (const char *[]){ "cpl", NULL }, NULL);
	if (!ret)
		child_finish(c, PAYLOAD_TIMEOUT_MS);
	unlink(path);
	return ret;
}

/* Expects exec of a marker copy with version/flags to fail with ENOEXEC, counted. */
static void expect_enoexec(struct __test_metadata *_metadata, __u32 version, __u32 flags)
{
	long long before = kml_read_number(KML_COUNTER_ENOEXEC);
	struct child c;

	EXPECT_EQ(-ENOEXEC, spawn_edited(_metadata, &c, version, flags));
	EXPECT_STREQ("", c.output);
	if (before < 0) {
		TH_LOG("%s unreadable (%s): refusal count not checked",
		       KML_COUNTER_ENOEXEC, strerror((int)-before));
	} else {
		EXPECT_EQ(before + 1, kml_read_number(KML_COUNTER_ENOEXEC));
	}
}

TEST_F(policy, enabled_marker_of_a_newer_format_is_refused_with_enoexec)
{
	REQUIRE_RING0(&self->env);
	expect_enoexec(_metadata, KML_NOTE_VERSION + 1, KML_NOTE_F_ENABLE);
}

TEST_F(policy, enabled_marker_with_an_unknown_flag_is_refused_with_enoexec)
{
	REQUIRE_RING0(&self->env);
	expect_enoexec(_metadata, KML_NOTE_VERSION, KML_NOTE_F_ENABLE | (1U << 7));
}

TEST_F(policy, enabled_marker_of_version_0_is_refused_with_enoexec)
{
	REQUIRE_RING0(&self->env);
	expect_enoexec(_metadata, 0, KML_NOTE_F_ENABLE);
}

TEST_F(policy, disabled_marker_of_any_version_runs_normally_at_cpl3)
{
	struct child c;

	/* Without the enable bit nothing else in the marker is read. */
	REQUIRE_PAYLOAD(PAYLOAD_RING0);
	ASSERT_EQ(0, spawn_edited(_metadata, &c, 99, 1U << 7));
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ("cpl=3\n", c.output);
}

TEST_F(policy, unprivileged_user_cannot_exec_a_marked_program)
{
	struct spawn_opts opts = SPAWN_DEFAULTS;
	long long before, after;
	struct child c;

	REQUIRE_RING0(&self->env);
	before = kml_read_number(KML_COUNTER_REFUSED);
	opts.uid = NOBODY;
	EXPECT_EQ(-EPERM, child_spawn(&c, PAYLOAD_RING0, (const char *[]){ "cpl", NULL }, &opts));
	EXPECT_EQ(EPERM, c.exec_errno);
	/* Refused at execve: not a byte of the program ran. */
	EXPECT_STREQ("", c.output);
	after = kml_read_number(KML_COUNTER_REFUSED);
	if (before < 0) {
		TH_LOG("%s unreadable (%s): refusal count not checked",
		       KML_COUNTER_REFUSED, strerror((int)-before));
	} else {
		EXPECT_EQ(before + 1, after);
	}
}

TEST_F(policy, unprivileged_user_runs_a_disabled_marker_at_cpl3)
{
	long long before;

	REQUIRE_PAYLOAD(PAYLOAD_RING3);
	before = kml_read_number(KML_COUNTER_REFUSED);
	expect_runs_as_nobody(_metadata, PAYLOAD_RING3, 3);
	/* A disabled marker asks for nothing, so nothing was refused. */
	EXPECT_EQ(before, kml_read_number(KML_COUNTER_REFUSED));
}

TEST_F(policy, unprivileged_user_runs_an_unmarked_program_at_cpl3)
{
	REQUIRE_PAYLOAD(PAYLOAD_UNMARKED);
	expect_runs_as_nobody(_metadata, PAYLOAD_UNMARKED, 3);
}

TEST_F(policy, ring0_execs_counts_each_marked_exec)
{
	long long before;
	struct child c;
	int i;

	REQUIRE_RING0(&self->env);
	REQUIRE_PAYLOAD(PAYLOAD_RING3);
	before = kml_read_number(KML_COUNTER_EXECS);
	if (before < 0)
		SKIP(return, "%s unreadable (%s): the counter is not published yet",
		     KML_COUNTER_EXECS, strerror((int)-before));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, payload_run(&c, PAYLOAD_RING0, (const char *[]){ "cpl", NULL }));
		ASSERT_STREQ("cpl=0\n", c.output);
	}
	/* A disabled marker does not count. */
	ASSERT_EQ(0, payload_run(&c, PAYLOAD_RING3, (const char *[]){ "cpl", NULL }));
	EXPECT_EQ(before + 3, kml_read_number(KML_COUNTER_EXECS));
}

TEST_F(policy, ring0_tasks_counts_live_ring0_tasks)
{
	long long before, during, after;
	int waited = 0;
	struct spawn_opts opts = SPAWN_DEFAULTS;
	struct child c;

	REQUIRE_RING0(&self->env);
	before = kml_read_number(KML_COUNTER_TASKS);
	if (before < 0)
		SKIP(return, "%s unreadable (%s): the counter is not published yet",
		     KML_COUNTER_TASKS, strerror((int)-before));
	opts.keep_stdin = true;
	ASSERT_EQ(0, child_spawn(&c, PAYLOAD_RING0, (const char *[]){ "sleep", NULL }, &opts));
	ASSERT_EQ(0, child_wait_line(&c, "ready", PAYLOAD_TIMEOUT_MS));
	during = kml_read_number(KML_COUNTER_TASKS);
	ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));
	/* The count drops when the task is freed, which may trail the reap. */
	while ((after = kml_read_number(KML_COUNTER_TASKS)) != before && waited < 5000) {
		usleep(20 * 1000);
		waited += 20;
	}
	EXPECT_EQ(before + 1, during);
	EXPECT_EQ(before, after);
}

TEST_F(policy, module_is_busy_while_a_ring0_task_lives)
{
	struct spawn_opts opts = SPAWN_DEFAULTS;
	struct child c;
	int ret;

	REQUIRE_RING0(&self->env);
	opts.keep_stdin = true;
	ASSERT_EQ(0, child_spawn(&c, PAYLOAD_RING0, (const char *[]){ "sleep", NULL }, &opts));
	ASSERT_EQ(0, child_wait_line(&c, "ready", PAYLOAD_TIMEOUT_MS));
	/*
	 * A pinned module (non-zero refcount) makes delete_module(O_NONBLOCK)
	 * fail with EWOULDBLOCK, which is EAGAIN; EBUSY is accepted too.
	 */
	ret = kml_unload();
	EXPECT_TRUE(ret == -EAGAIN || ret == -EBUSY) TH_LOG("delete_module: %s", strerror(-ret));
	EXPECT_TRUE(kml_listed());
	/* The refused unload did not disturb the task: it ends normally. */
	ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ("cpl=0\nready\nstdin closed\n", c.output);
}

TEST_F(policy, module_unloads_once_its_ring0_tasks_have_exited)
{
	struct spawn_opts opts = SPAWN_DEFAULTS;
	struct stat st;
	struct child c;

	REQUIRE_RING0(&self->env);
	if (!self->env.loaded_by_us)
		SKIP(return, "kml.ko was loaded before this test; leaving it loaded");
	opts.keep_stdin = true;
	ASSERT_EQ(0, child_spawn(&c, PAYLOAD_RING0, (const char *[]){ "sleep", NULL }, &opts));
	ASSERT_EQ(0, child_wait_line(&c, "ready", PAYLOAD_TIMEOUT_MS));
	ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));
	EXPECT_EQ(0, kml_unload_wait(5000));
	self->env.loaded_by_us = false;
	EXPECT_FALSE(kml_listed());
	EXPECT_NE(0, stat(KML_SYSFS, &st));
}

TEST_F_TIMEOUT(policy, load_run_unload_loop_leaves_nothing_behind, 120)
{
	long long tainted = kernel_tainted();
	struct stat st;
	struct child c;
	int i;

	REQUIRE_RING0(&self->env);
	if (!self->env.loaded_by_us)
		SKIP(return, "kml.ko was loaded before this test; leaving it loaded");
	for (i = 0; i < 5; i++) {
		if (i > 0)
			ASSERT_EQ(0, kml_load()) TH_LOG("load %d", i);
		self->env.loaded_by_us = true;
		ASSERT_EQ(0, payload_run(&c, PAYLOAD_RING0, (const char *[]){ "threads", "2", NULL }));
		EXPECT_STREQ("cpl=0\nthread 0 cpl=0 own-tid=yes\nthread 1 cpl=0 own-tid=yes\n",
			     c.output) TH_LOG("round %d", i);
		ASSERT_EQ(0, kml_unload_wait(5000)) TH_LOG("unload %d", i);
		self->env.loaded_by_us = false;
	}
	EXPECT_FALSE(kml_listed());
	EXPECT_NE(0, stat(KML_SYSFS, &st));
	EXPECT_EQ(tainted, kernel_tainted());
	/* Not asserted (see README.md): what a marked program does without kml.ko. */
	if (payload_run(&c, PAYLOAD_RING0, (const char *[]){ "cpl", NULL }))
		TH_LOG("with kml.ko unloaded, exec of a marked program fails: %s",
		       strerror(c.exec_errno));
	else
		TH_LOG("with kml.ko unloaded, a marked program prints '%.*s'",
		       (int)strcspn(c.output, "\n"), c.output);
}

TEST_HARNESS_MAIN
