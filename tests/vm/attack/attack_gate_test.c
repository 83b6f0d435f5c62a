// SPDX-License-Identifier: GPL-2.0
/*
 * The gate (docs/gate.md): a marked program reaches CPL 0 only with a
 * signed manifest the kernel accepts, under the policy in /sys/kernel/kml/.
 * Written as root without an approved key would try: unsigned, tampered
 * (code, manifest, trailer), signed by a key the machine does not trust,
 * an old generation, an assurance below the policy, a bypass the manifest
 * does not approve, the policy files written by somebody else. Each
 * refusal is checked three ways: the errno of execve(), the counter of
 * its reason in /sys/kernel/kml/refused, and (once) the log line.
 *
 * The signed payloads are made on the host at image build (build.mk):
 * signed with the VM's test CA (built into the kernel's keyring) as
 * `trusted`, generation 5; one signed by a throwaway key.
 *
 * Each test loads kml.ko itself with the policy it needs (module
 * parameters) and unloads it after.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "attack.h"

#define SIGNED "attack-payload.signed"
#define BYPASS_SIGNED "attack-payload.bypass.signed"
#define BYPASS_NOT_APPROVED "attack-payload.bypass.signed-nobypass"
#define UNTRUSTED "attack-payload.untrusted"
#define GATE_SYSFS "/sys/kernel/kml/"
#define SIG_TRAILER 36 /* struct kml_sig_info + KML_SIG_MAGIC */
/* What loading kml.ko itself taints: out of tree ('O'), unsigned ('E'). */
#define TAINT_MODULE_LOAD ((1LL << 12) | (1LL << 13))

FIXTURE(gate) {
	long long tainted;
	char copy[64];
};

FIXTURE_SETUP(gate)
{
	self->tainted = kernel_tainted();
	self->copy[0] = 0;
	/* Another test's load, with other parameters, must not stay. */
	if (kml_listed())
		ASSERT_EQ(0, kml_unload_wait(5000));
}

FIXTURE_TEARDOWN(gate)
{
	if (self->copy[0])
		unlink(self->copy);
	if (kml_listed())
		EXPECT_EQ(0, kml_unload_wait(5000));
	EXPECT_EQ(self->tainted & ~TAINT_MODULE_LOAD, kernel_tainted() & ~TAINT_MODULE_LOAD)
		TH_LOG("the kernel is tainted now");
}

/* Loads kml.ko with @params: 0 or -errno. */
static int load_with(const char *params)
{
	int fd = open(kml_ko_path(), O_RDONLY | O_CLOEXEC);
	int ret, err;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0);
	err = errno;
	close(fd);
	return ret ? -err : 0;
}

/* The count of @reason in /sys/kernel/kml/refused ("<name> <count>" lines). */
static long long refused(const char *reason)
{
	char name[64];
	long long count, found = -1;
	FILE *f = fopen(GATE_SYSFS "refused", "re");

	if (!f)
		return -errno;
	while (found < 0 && fscanf(f, "%63s %lld", name, &count) == 2)
		if (!strcmp(name, reason))
			found = count;
	fclose(f);
	return found;
}

/*
 * Execs @payload "cpl" and returns 0 with its CPL in *cpl, or the execve
 * errno as -errno.
 */
static int run_cpl(const char *payload, int *cpl)
{
	struct child c;
	int ret = child_spawn(&c, payload, (const char *[]){ "cpl", NULL }, NULL);

	if (ret)
		return ret;
	child_finish(&c, PAYLOAD_TIMEOUT_MS);
	*cpl = child_said(&c, "cpl=0") ? 0 : child_said(&c, "cpl=3") ? 3 : -1;
	return 0;
}

/* In a test body: @payload's exec fails with @err, counted under @reason. */
#define EXPECT_REFUSED(payload, err, reason) do {			\
	long long _before = refused(reason);				\
	int _cpl = -1;							\
									\
	EXPECT_EQ(-(err), run_cpl(payload, &_cpl))			\
		TH_LOG("%s: cpl %d", payload, _cpl);			\
	EXPECT_EQ(_before + 1, refused(reason)) TH_LOG("counter %s", reason); \
} while (0)

/* A copy of the signed payload in /tmp with @len bytes at @off replaced by ~. */
static void tampered_copy(struct __test_metadata *_metadata, char *copy,
			  long off_from_end, long off)
{
	char buf[4096];
	int in, out;
	ssize_t n;
	off_t size, at;
	unsigned char b;

	snprintf(copy, 64, "/tmp/kml-gate-copy.%d", getpid());
	in = open(payload_path(SIGNED), O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, in);
	out = open(copy, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	ASSERT_LE(0, out);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ASSERT_EQ(n, write(out, buf, n));
	close(in);
	size = lseek(out, 0, SEEK_END);
	at = off_from_end ? size - off_from_end : off;
	ASSERT_EQ(1, pread(out, &b, 1, at));
	b = ~b;
	ASSERT_EQ(1, pwrite(out, &b, 1, at));
	close(out);
}

TEST_F(gate, signed_program_runs_at_cpl0_when_its_assurance_is_allowed)
{
	int cpl = -1;

	ASSERT_EQ(0, load_with("min_assurance=trusted"));
	ASSERT_EQ(0, run_cpl(SIGNED, &cpl));
	EXPECT_EQ(0, cpl);
}

TEST_F(gate, default_policy_refuses_trusted_as_assurance_too_low)
{
	ASSERT_EQ(0, load_with(""));
	EXPECT_REFUSED(SIGNED, EACCES, "assurance-too-low");
}

TEST_F(gate, unsigned_marked_program_is_refused_and_logged)
{
	char line[1024];
	bool logged = false;
	int kmsg;

	ASSERT_EQ(0, load_with("min_assurance=trusted"));
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, kmsg);
	lseek(kmsg, 0, SEEK_END);
	EXPECT_REFUSED(ATTACK_RING0, EACCES, "unsigned");
	while (!logged && read(kmsg, line, sizeof(line) - 1) > 0)
		logged = strstr(line, "refused: unsigned: no signed manifest covers the file");
	close(kmsg);
	EXPECT_TRUE(logged) TH_LOG("no log line names the reason");
}

TEST_F(gate, allow_unsigned_runs_it_and_counts_it)
{
	int cpl = -1;

	ASSERT_EQ(0, load_with("allow_unsigned=1"));
	ASSERT_EQ(0, run_cpl(ATTACK_RING0, &cpl));
	EXPECT_EQ(0, cpl);
	EXPECT_EQ(1, kml_counter(GATE_SYSFS "unsigned_execs"));
}

TEST_F(gate, changed_code_byte_is_tampered)
{
	ASSERT_EQ(0, load_with("min_assurance=trusted allow_unsigned=1"));
	tampered_copy(_metadata, self->copy, 0, 0x1100);
	EXPECT_REFUSED(self->copy, EBADMSG, "tampered");
}

TEST_F(gate, changed_signature_byte_is_bad_signature)
{
	ASSERT_EQ(0, load_with("min_assurance=trusted"));
	/* The last byte of the PKCS#7 message: its signature value. */
	tampered_copy(_metadata, self->copy, SIG_TRAILER + 1, 0);
	EXPECT_REFUSED(self->copy, EKEYREJECTED, "bad-signature");
}

TEST_F(gate, broken_trailer_makes_the_program_unsigned)
{
	int cpl = -1;

	ASSERT_EQ(0, load_with("min_assurance=trusted"));
	tampered_copy(_metadata, self->copy, 1, 0);
	EXPECT_REFUSED(self->copy, EACCES, "unsigned");
	ASSERT_EQ(0, kml_unload_wait(5000));
	ASSERT_EQ(0, load_with("min_assurance=trusted allow_unsigned=1"));
	ASSERT_EQ(0, run_cpl(self->copy, &cpl));
	EXPECT_EQ(0, cpl);
	EXPECT_EQ(1, kml_counter(GATE_SYSFS "unsigned_execs"));
}

TEST_F(gate, key_the_machine_does_not_trust_is_unknown_key)
{
	ASSERT_EQ(0, load_with("min_assurance=trusted allow_unsigned=1"));
	EXPECT_REFUSED(UNTRUSTED, ENOKEY, "unknown-key");
}

TEST_F(gate, generation_below_min_generation_is_stale_and_the_floor_only_rises)
{
	int fd;

	ASSERT_EQ(0, load_with("min_assurance=trusted"));
	fd = open(GATE_SYSFS "min_generation", O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "6", 1));
	EXPECT_REFUSED(SIGNED, EKEYEXPIRED, "stale-generation");
	errno = 0;
	EXPECT_EQ(-1, pwrite(fd, "5", 1, 0));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
	EXPECT_EQ(6, kml_counter(GATE_SYSFS "min_generation"));
}

TEST_F(gate, bypass_needs_the_manifests_approval)
{
	int cpl = -1;

	ASSERT_EQ(0, load_with("min_assurance=trusted"));
	ASSERT_EQ(0, run_cpl(BYPASS_SIGNED, &cpl));
	EXPECT_EQ(0, cpl);
	EXPECT_REFUSED(BYPASS_NOT_APPROVED, EPERM, "bypass-not-allowed");
}

static int open_for_write_as_nobody(void *data)
{
	const char *const *file;
	static const char *const files[] = { "min_assurance", "min_generation",
					     "allow_unsigned", NULL };
	char path[128];
	int opened = 0;

	for (file = files; *file; file++) {
		int fd;

		snprintf(path, sizeof(path), GATE_SYSFS "%s", *file);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			opened++;
			close(fd);
		}
	}
	return opened;
}

/* 0 if nobody's exec of the signed program fails with EPERM. */
static int exec_signed_as_nobody(void *data)
{
	int cpl = -1;

	return run_cpl(SIGNED, &cpl) == -EPERM ? 0 : 1;
}

TEST_F(gate, policy_is_root_only_and_others_are_unprivileged)
{
	ASSERT_EQ(0, load_with("min_assurance=trusted"));
	EXPECT_EQ(0, as_user(NOBODY, open_for_write_as_nobody, NULL, 0));
	EXPECT_EQ(0, as_user(NOBODY, exec_signed_as_nobody, NULL, 0));
	EXPECT_EQ(1, refused("unprivileged"));
}

TEST_HARNESS_MAIN
