// SPDX-License-Identifier: GPL-2.0
/*
 * Finding 5: kernel addresses that defeat KASLR, shown to anyone.
 *
 * - AT_KML_ENTRY is the address of kernel text. The program it is given
 *   to needs it, but /proc/PID/auxv shows it to every process that may
 *   read the file, e.g. one of the same user after a ring-0 server drops
 *   root: it must read 0 there for every reader, root included (the saved
 *   copy never holds it; core dumps use the same copy).
 * - A ring-0 task's GS base is the kernel's per-CPU base:
 *   arch_prctl(ARCH_GET_GS) and PTRACE_PEEKUSER of gs_base showed it. They
 *   must say 0, and ARCH_SET_GS (which would move the kernel's per-CPU
 *   area) must fail with EPERM.
 * - /sys/kernel/kml/programs lists the slow system call sites of every
 *   ring-0 program: only root may read it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <unistd.h>

#include <linux/kml_abi.h>

#include "kselftest_harness.h"
#include "attack.h"

#define PROGRAMS KML_SYSFS "/programs"

ATTACK_FIXTURE(leak);

struct auxv_read {
	pid_t pid;
	int err;		/* open or read errno, 0 if the file was read */
	bool found;		/* AT_KML_ENTRY was in it */
	unsigned long value;
};

static int read_auxv(void *data)
{
	struct auxv_read *r = data;
	unsigned long auxv[256];
	char path[64];
	ssize_t n;
	size_t i;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/auxv", (int)r->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r->err = errno;
		return 0;
	}
	n = read(fd, auxv, sizeof(auxv));
	r->err = n < 0 ? errno : 0;
	close(fd);
	for (i = 0; n > 0 && i + 1 < (size_t)n / sizeof(auxv[0]) && auxv[i]; i += 2) {
		if (auxv[i] == AT_KML_ENTRY) {
			r->found = true;
			r->value = auxv[i + 1];
		}
	}
	return 0;
}

/*
 * Starts the ring-0 payload that becomes nobody (and dumpable, so that
 * nobody may read its /proc files) and waits. Returns the AT_KML_ENTRY
 * the program itself got.
 */
static unsigned long spawn_nobody_ring0_task(struct __test_metadata *_metadata, struct child *c)
{
	unsigned long own = 0;

	ASSERT_EQ(0, spawn_ready(c, ATTACK_RING0, (const char *[]){ "drop-to-nobody", NULL }, -1))
		TH_LOG("%s", c->output);
	EXPECT_TRUE(child_said(c, "cpl=0")) TH_LOG("%s", c->output);
	EXPECT_TRUE(child_said(c, "uid=65534")) TH_LOG("%s", c->output);
	EXPECT_TRUE(output_value(c, "entry", &own)) TH_LOG("%s", c->output);
	return own;
}

/* Reads /proc/PID/auxv of @c as @reader into *r; the file must be readable. */
static void read_auxv_as(struct __test_metadata *_metadata, uid_t reader,
			 const struct child *c, struct auxv_read *r)
{
	memset(r, 0, sizeof(*r));
	r->pid = c->pid;
	ASSERT_EQ(0, as_user(reader, read_auxv, r, sizeof(*r)));
	ASSERT_EQ(0, r->err) TH_LOG("reading /proc/%d/auxv as uid %d: %s", (int)c->pid,
				    (int)reader, strerror(r->err));
}

/*
 * "Hidden" is 0; an auxv without the entry at all hides it too. The
 * program itself still gets the real entry from getauxval().
 */
TEST_F(leak, auxv_shows_nobody_a_zero_kml_entry_of_a_ring0_task)
{
	struct auxv_read r;
	unsigned long own;
	struct child c;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	own = spawn_nobody_ring0_task(_metadata, &c);
	EXPECT_LE(KERNEL_HALF, own) TH_LOG("AT_KML_ENTRY in the program itself: 0x%lx", own);
	read_auxv_as(_metadata, NOBODY, &c, &r);
	EXPECT_EQ(0UL, r.found ? r.value : 0)
		TH_LOG("nobody reads AT_KML_ENTRY = 0x%lx in /proc/%d/auxv", r.value, c.pid);
	ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));
	EXPECT_EQ(0, child_exit(&c));
}

/*
 * Nor root: the saved auxv (/proc/PID/auxv, core dumps) never holds the
 * entry's address, only the program's own stack does (patch 0015).
 */
TEST_F(leak, auxv_shows_root_a_zero_kml_entry_too)
{
	struct auxv_read r;
	struct child c;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	spawn_nobody_ring0_task(_metadata, &c);
	read_auxv_as(_metadata, 0, &c, &r);
	EXPECT_EQ(0UL, r.found ? r.value : 0)
		TH_LOG("root reads AT_KML_ENTRY = 0x%lx in /proc/%d/auxv", r.value, c.pid);
	ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));
	EXPECT_EQ(0, child_exit(&c));
}

TEST_F(leak, arch_prctl_get_gs_says_0_in_a_ring0_task)
{
	unsigned long gs = ~0UL;
	struct child c;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	ASSERT_EQ(0, payload_run(&c, ATTACK_RING0, (const char *[]){ "gsbase", NULL }));
	EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
	EXPECT_TRUE(output_value(&c, "get_gs", &gs)) TH_LOG("%s", c.output);
	EXPECT_EQ(0UL, gs) TH_LOG("ARCH_GET_GS: 0x%lx", gs);
}

/* It sets the value ARCH_GET_GS gave: harmless even where it is allowed. */
TEST_F(leak, arch_prctl_set_gs_is_eperm_in_a_ring0_task)
{
	struct child c;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	ASSERT_EQ(0, payload_run(&c, ATTACK_RING0, (const char *[]){ "gsbase", NULL }));
	EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
	EXPECT_TRUE(child_said(&c, "set_gs errno=1")) TH_LOG("%s", c.output);	/* EPERM */
}

TEST_F(leak, ptrace_peekuser_gs_base_of_a_ring0_tracee_says_0)
{
	unsigned long gs;
	struct child c;
	int ret;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	ASSERT_EQ(0, spawn_ready(&c, ATTACK_RING0, (const char *[]){ "wait", NULL }, -1));
	ret = seize_and_stop(c.pid, 0);
	ASSERT_EQ(0, ret) TH_LOG("seize: %s", strerror(-ret));
	errno = 0;
	gs = ptrace(PTRACE_PEEKUSER, c.pid, offsetof(struct user_regs_struct, gs_base), 0);
	EXPECT_EQ(0, errno);
	EXPECT_EQ(0UL, gs) TH_LOG("gs_base of a ring-0 tracee: 0x%lx", gs);
	ASSERT_EQ(0, ptrace(PTRACE_DETACH, c.pid, 0, 0));
	ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));
	EXPECT_EQ(0, child_exit(&c));
}

static int open_programs(void *data)
{
	int *err = data;
	int fd = open(PROGRAMS, O_RDONLY | O_CLOEXEC);

	*err = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	return 0;
}

TEST_F(leak, programs_file_is_readable_by_root_only)
{
	char buf[4096];
	int err = -1, fd;

	REQUIRE_KML_LOADED(&self->env);
	fd = open(PROGRAMS, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("root opening %s: %s", PROGRAMS, strerror(errno));
	EXPECT_LE(0, read(fd, buf, sizeof(buf))) TH_LOG("%s", strerror(errno));
	close(fd);

	ASSERT_EQ(0, as_user(NOBODY, open_programs, &err, sizeof(err)));
	EXPECT_EQ(EACCES, err) TH_LOG("nobody opening %s: %s", PROGRAMS,
				      err ? strerror(err) : "it worked");
}

TEST_HARNESS_MAIN
