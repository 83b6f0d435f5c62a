// SPDX-License-Identifier: GPL-2.0
/*
 * System calls made by a ring-0 process behave exactly as at ring 3. Each
 * test runs one family of calls in the payload and holds its transcript to
 * one expected text; the ring3 variants run the disabled-marker copy (the
 * reference, which must pass on any kernel), the ring0 variants the marked
 * copy. The redzone variants use the build that keeps the red zone, whose
 * libc and payload code may hold live data below %rsp around each call.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "ring0.h"

RING0_FIXTURE(syscalls);

FIXTURE_VARIANT(syscalls) {
	const char *payload;
	int cpl;
};

FIXTURE_VARIANT_ADD(syscalls, ring0) { .payload = PAYLOAD_RING0, .cpl = 0 };
FIXTURE_VARIANT_ADD(syscalls, ring3) { .payload = PAYLOAD_RING3, .cpl = 3 };
FIXTURE_VARIANT_ADD(syscalls, ring0_redzone) { .payload = PAYLOAD_RZ_RING0, .cpl = 0 };
FIXTURE_VARIANT_ADD(syscalls, ring3_redzone) { .payload = PAYLOAD_RZ_RING3, .cpl = 3 };

/*
 * Runs "syscall FAMILY" in the variant's form and expects it to exit 0
 * having printed "cpl=N" and then exactly body.
 */
static void expect_family(struct __test_metadata *_metadata, struct child *c,
			  const FIXTURE_VARIANT(syscalls) *variant,
			  const char *family, const char *body)
{
	char expected[1024];

	ASSERT_EQ(0, payload_run(c, variant->payload,
				 (const char *[]){ "syscall", family, NULL }));
	snprintf(expected, sizeof(expected), "cpl=%d\n%s", variant->cpl, body);
	EXPECT_EQ(0, child_exit(c));
	EXPECT_STREQ(expected, c->output);
}

#define FAMILY_TEST(family, body)					\
	TEST_F(syscalls, family)					\
	{								\
		struct child c;						\
									\
		REQUIRE_FORM(&self->env, variant->payload, variant->cpl); \
		expect_family(_metadata, &c, variant, #family, body);	\
	}

/* write: bytes reach the pipe, length 0 is fine, a bad fd is EBADF. */
FAMILY_TEST(write, "write: hello from the payload\nwrite: ok\n")
/* read: /dev/zero fills the buffer; an unowned buffer is EFAULT, not a crash. */
FAMILY_TEST(read, "read: ok\n")
/* clock_gettime: vDSO and syscall agree, a 20 ms sleep takes 20 ms, bad clock EINVAL. */
FAMILY_TEST(clock_gettime, "clock_gettime: ok\n")
/* mmap/munmap: zeroed anonymous pages, file pages, mprotect, holes really unmapped. */
FAMILY_TEST(mmap, "mmap: ok\n")
/* brk: the heap grows by 256 KiB, keeps data, and shrinks back. */
FAMILY_TEST(brk, "brk: ok\n")
/* openat: create/write/read/stat/unlink in /tmp, O_EXCL and ENOENT errors. */
FAMILY_TEST(openat, "openat: ok\n")
/* pipe: three pages and a bit go through in order. */
FAMILY_TEST(pipe, "pipe: ok\n")
/* poll: a 30 ms timeout, then POLLIN, then POLLHUP. */
FAMILY_TEST(poll, "poll: ok\n")

/* getpid: the payload's own pid, as its parent knows it. */
TEST_F(syscalls, getpid)
{
	char body[128];
	struct child c;

	REQUIRE_FORM(&self->env, variant->payload, variant->cpl);
	ASSERT_EQ(0, payload_run(&c, variant->payload,
				 (const char *[]){ "syscall", "getpid", NULL }));
	snprintf(body, sizeof(body), "cpl=%d\ngetpid: pid=%d\ngetpid: ok\n",
		 variant->cpl, c.pid);
	EXPECT_EQ(0, child_exit(&c));
	EXPECT_STREQ(body, c.output);
}

TEST_HARNESS_MAIN
