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
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "attack.h"

#define SIGNED "attack-payload.signed"
#define BYPASS_SIGNED "attack-payload.bypass.signed"
#define BYPASS_NOT_APPROVED "attack-payload.bypass.signed-nobypass"
#define UNTRUSTED "attack-payload.untrusted"
#define VERIFIED "wordcount.verified" /* made by `kml build` (Makefile) */
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

/*
 * The reasons `kml verify` judges from the file and the policy alone, as
 * the kernel does at exec: not the blacklist, the caller, or how the file
 * is held or mapped.
 */
static bool verify_judges(const char *reason)
{
	static const char *const judged[] = {
		"allowed", "unsigned", "bad-signature", "unknown-key",
		"tampered", "bad-manifest", "stale-generation",
		"assurance-too-low", "not-ring0", "bypass-not-allowed",
		"anonymous-exec", "dynamic", "unapproved-mapping", NULL,
	};
	const char *const *r;

	for (r = judged; *r; r++)
		if (!strcmp(*r, reason))
			return true;
	return false;
}

/* The first line of /sys/kernel/kml/@name into @buf, without its newline. */
static void read_policy(const char *name, char *buf, size_t size)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), GATE_SYSFS "%s", name);
	buf[0] = 0;
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(buf, size, f))
		buf[strcspn(buf, "\n")] = 0;
	fclose(f);
}

/*
 * The verdict of `kml verify @args` (the static tool in the image) under
 * the policy loaded now, with the test CA as the only trusted key, into
 * @word: "allowed", or the reason of its first refusal line. Its output
 * is in @out. False if it gave no verdict.
 */
static bool verify_verdict(const char *args, char *word, size_t size,
			   char *out, size_t out_size)
{
	char cmd[4 * PATH_MAX], ca[PATH_MAX], line[1024];
	char assurance[32], generation[32], bypass[8];
	bool allowed = false;
	const char *r;
	FILE *p;

	snprintf(ca, sizeof(ca), "%s", payload_path("kml-test-ca.pem"));
	read_policy("min_assurance", assurance, sizeof(assurance));
	read_policy("min_generation", generation, sizeof(generation));
	read_policy("allow_bypass", bypass, sizeof(bypass));
	snprintf(cmd, sizeof(cmd),
		 "/usr/bin/kml verify %s --cert '%s' --key-dir /nonexistent "
		 "--min-assurance %s --min-generation %s --allow-bypass %s 2>&1",
		 args, ca, assurance, generation, bypass);
	word[0] = out[0] = 0;
	p = popen(cmd, "re");
	if (!p)
		return false;
	while (fgets(line, sizeof(line), p)) {
		strncat(out, line, out_size - strlen(out) - 1);
		r = strstr(line, ": refused: ");
		if (r && !word[0])
			snprintf(word, size, "%.*s", (int)strcspn(r + 11, ":"), r + 11);
		allowed |= strstr(line, ": allowed:") != NULL;
	}
	pclose(p);
	if (!word[0] && allowed)
		snprintf(word, size, "allowed");
	return word[0];
}

/* The path of the approval list loaded first, into @path; false if none. */
static bool loaded_list(char *path, size_t size)
{
	char line[PATH_MAX + 64], *at;
	FILE *f = fopen(GATE_SYSFS "approvals", "re");
	bool found = false;

	if (!f)
		return false;
	if (fgets(line, sizeof(line), f) && (at = strstr(line, "path="))) {
		snprintf(path, size, "%.*s", (int)strcspn(at + 5, "\n"), at + 5);
		found = true;
	}
	fclose(f);
	return found;
}

/*
 * Whether `kml verify` says of @payload what the kernel did, @reason
 * ("allowed" for an approval). As kml.ko, it asks the loaded approval
 * list about a file without an appended signature; a file the list does
 * not name stays unsigned. Its output goes to the log when it does not
 * agree.
 */
static bool verify_agrees(struct __test_metadata *_metadata,
			  const char *payload, const char *reason)
{
	char args[3 * PATH_MAX], file[PATH_MAX], list[PATH_MAX];
	char word[64], listed[64], out[4096];

	snprintf(file, sizeof(file), "%s", payload_path(payload));
	snprintf(args, sizeof(args), "'%s'", file);
	if (!verify_verdict(args, word, sizeof(word), out, sizeof(out))) {
		TH_LOG("kml verify gave no verdict: %s", out);
		return false;
	}
	if (!strcmp(word, "unsigned") && loaded_list(list, sizeof(list))) {
		snprintf(args, sizeof(args), "--list '%s' '%s'", list, file);
		if (verify_verdict(args, listed, sizeof(listed), out, sizeof(out)) &&
		    strcmp(listed, "unapproved-mapping"))
			snprintf(word, sizeof(word), "%s", listed);
	}
	if (strcmp(word, reason))
		TH_LOG("kml verify: %s, the kernel: %s: %s", word, reason, out);
	return !strcmp(word, reason);
}

/*
 * In a test body: @payload's exec fails with @err, counted under @reason,
 * and `kml verify` agrees when the reason is one it can judge.
 */
#define EXPECT_REFUSED(payload, err, reason) do {			\
	long long _before = kml_refused(reason);			\
	int _cpl = -1;							\
									\
	EXPECT_EQ(-(err), run_cpl(payload, &_cpl))			\
		TH_LOG("%s: cpl %d", payload, _cpl);			\
	EXPECT_EQ(_before + 1, kml_refused(reason)) TH_LOG("counter %s", reason); \
	if (verify_judges(reason))					\
		EXPECT_TRUE(verify_agrees(_metadata, payload, reason))	\
			TH_LOG("kml verify disagrees on %s", payload);	\
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

	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	ASSERT_EQ(0, run_cpl(SIGNED, &cpl));
	EXPECT_EQ(0, cpl);
	EXPECT_TRUE(verify_agrees(_metadata, SIGNED, "allowed"));
}

/*
 * The gate's whole chain under the default policy (no development mode,
 * min_assurance verified): wordcount.verified was built from its source by
 * `kml build` (source rules, rewrite, binary validator, signed as verified
 * by the test CA), and it starts at CPL 0 and does its work.
 */
TEST_F(gate, a_program_built_by_kml_build_runs_at_cpl0_by_default)
{
	struct child c;
	long long execs;

	REQUIRE_PAYLOAD(VERIFIED);
	ASSERT_EQ(0, kml_load_with(""));
	execs = kml_read_number(GATE_SYSFS "ring0_execs");
	ASSERT_EQ(0, payload_run(&c, VERIFIED, (const char *[]){ NULL }));
	EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
	EXPECT_TRUE(child_said(&c, "0 0 0")) TH_LOG("%s", c.output);
	EXPECT_EQ(execs + 1, kml_read_number(GATE_SYSFS "ring0_execs"));
	EXPECT_TRUE(verify_agrees(_metadata, VERIFIED, "allowed"));
}

/*
 * C++ on the hardened standard library (tests/vm/direct/stdlib_check.cpp,
 * verified and signed by `kml build`): std::map, std::ranges::sort and
 * std::string work at CPL 0, and an index past a std::vector's end is the
 * library's own SIGABRT, not a read of whatever lies beyond.
 */
#define STDLIB_VERIFIED "stdlib-check.verified"

TEST_F(gate, a_cxx_program_on_the_hardened_library_runs_at_cpl0)
{
	struct child c;
	long long execs;

	REQUIRE_PAYLOAD(STDLIB_VERIFIED);
	ASSERT_EQ(0, kml_load_with(""));
	execs = kml_read_number(GATE_SYSFS "ring0_execs");
	ASSERT_EQ(0, payload_run(&c, STDLIB_VERIFIED, (const char *[]){ NULL }));
	EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
	EXPECT_TRUE(child_said(&c, "stdlib kernel=1 zero=2 ring=3"))
		TH_LOG("%s", c.output);
	EXPECT_TRUE(child_said(&c, "element 7")) TH_LOG("%s", c.output);
	EXPECT_EQ(execs + 1, kml_read_number(GATE_SYSFS "ring0_execs"));
}

TEST_F(gate, an_index_past_a_vector_is_the_library_sigabrt_at_cpl0)
{
	struct child c;
	long long execs;

	REQUIRE_PAYLOAD(STDLIB_VERIFIED);
	ASSERT_EQ(0, kml_load_with(""));
	execs = kml_read_number(GATE_SYSFS "ring0_execs");
	ASSERT_EQ(0, payload_run(&c, STDLIB_VERIFIED,
				 (const char *[]){ "past-the-end", NULL }));
	EXPECT_TRUE(died_of(&c, SIGABRT)) TH_LOG("%s", c.output);
	EXPECT_NE(NULL, strstr(c.output, "Assertion '__n < this->size()' failed"))
		TH_LOG("%s", c.output);
	EXPECT_EQ(execs + 1, kml_read_number(GATE_SYSFS "ring0_execs"));
}

TEST_F(gate, default_policy_refuses_trusted_as_assurance_too_low)
{
	ASSERT_EQ(0, kml_load_with(""));
	EXPECT_REFUSED(SIGNED, EACCES, "assurance-too-low");
}

TEST_F(gate, unsigned_marked_program_is_refused_and_logged)
{
	char line[1024];
	bool logged = false;
	ssize_t n;
	int kmsg;

	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, kmsg);
	lseek(kmsg, 0, SEEK_END);
	EXPECT_REFUSED(ATTACK_RING0, EACCES, "unsigned");
	while (!logged && (n = read(kmsg, line, sizeof(line) - 1)) > 0) {
		line[n] = '\0';
		logged = strstr(line, "refused: unsigned: no signed manifest covers the file");
	}
	close(kmsg);
	EXPECT_TRUE(logged) TH_LOG("no log line names the reason");
}

TEST_F(gate, allow_unsigned_runs_it_and_counts_it)
{
	int cpl = -1;

	ASSERT_EQ(0, kml_load_with("allow_unsigned=1"));
	ASSERT_EQ(0, run_cpl(ATTACK_RING0, &cpl));
	EXPECT_EQ(0, cpl);
	EXPECT_EQ(1, kml_read_number(GATE_SYSFS "unsigned_execs"));
}

TEST_F(gate, changed_code_byte_is_tampered)
{
	ASSERT_EQ(0, kml_load_with("min_assurance=trusted allow_unsigned=1"));
	tampered_copy(_metadata, self->copy, 0, 0x1100);
	EXPECT_REFUSED(self->copy, EBADMSG, "tampered");
}

TEST_F(gate, changed_signature_byte_is_bad_signature)
{
	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	/* The last byte of the PKCS#7 message: its signature value. */
	tampered_copy(_metadata, self->copy, SIG_TRAILER + 1, 0);
	EXPECT_REFUSED(self->copy, EKEYREJECTED, "bad-signature");
}

TEST_F(gate, broken_trailer_makes_the_program_unsigned)
{
	int cpl = -1;

	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	tampered_copy(_metadata, self->copy, 1, 0);
	EXPECT_REFUSED(self->copy, EACCES, "unsigned");
	ASSERT_EQ(0, kml_unload_wait(5000));
	ASSERT_EQ(0, kml_load_with("min_assurance=trusted allow_unsigned=1"));
	ASSERT_EQ(0, run_cpl(self->copy, &cpl));
	EXPECT_EQ(0, cpl);
	EXPECT_EQ(1, kml_read_number(GATE_SYSFS "unsigned_execs"));
}

TEST_F(gate, key_the_machine_does_not_trust_is_unknown_key)
{
	ASSERT_EQ(0, kml_load_with("min_assurance=trusted allow_unsigned=1"));
	EXPECT_REFUSED(UNTRUSTED, ENOKEY, "unknown-key");
}

TEST_F(gate, generation_below_min_generation_is_stale_and_the_floor_only_rises)
{
	int fd;

	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	fd = open(GATE_SYSFS "min_generation", O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "6", 1));
	EXPECT_REFUSED(SIGNED, EKEYEXPIRED, "stale-generation");
	errno = 0;
	EXPECT_EQ(-1, pwrite(fd, "5", 1, 0));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
	EXPECT_EQ(6, kml_read_number(GATE_SYSFS "min_generation"));
}

TEST_F(gate, bypass_needs_the_manifests_approval)
{
	int cpl = -1;

	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	ASSERT_EQ(0, run_cpl(BYPASS_SIGNED, &cpl));
	EXPECT_EQ(0, cpl);
	EXPECT_TRUE(verify_agrees(_metadata, BYPASS_SIGNED, "allowed"));
	EXPECT_REFUSED(BYPASS_NOT_APPROVED, EPERM, "bypass-not-allowed");
}

static int open_for_write_as_nobody(void *data)
{
	const char *const *file;
	static const char *const files[] = { "min_assurance", "min_generation",
					     "allow_unsigned", "allow_bypass",
					     "exec_group", "approvals", NULL };
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

TEST_F(gate, a_sealed_load_refuses_development_mode)
{
	/* sealing lasts until reboot: attack_lockdown_test seals, last */
	EXPECT_EQ(-EINVAL, kml_load_with("sealed=1 allow_unsigned=1"));
	EXPECT_FALSE(kml_listed());
}

TEST_F(gate, policy_is_root_only_and_others_are_unprivileged)
{
	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	EXPECT_EQ(0, as_user(NOBODY, open_for_write_as_nobody, NULL, 0));
	EXPECT_EQ(0, as_user(NOBODY, exec_signed_as_nobody, NULL, 0));
	EXPECT_EQ(1, kml_refused("unprivileged"));
}


/* 0 if nobody's exec of the signed program runs at CPL 0. */
static int exec_signed_as_nobody_at_ring0(void *data)
{
	int cpl = -1;

	return run_cpl(SIGNED, &cpl) == 0 && cpl == 0 ? 0 : 1;
}

TEST_F(gate, exec_group_lets_its_members_run_ring0_programs)
{
	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	EXPECT_EQ(-EINVAL, kml_sysfs_write("exec_group", "nogroup"));
	ASSERT_EQ(0, kml_sysfs_write("exec_group", "65534"));	/* nobody's */
	EXPECT_EQ(0, as_user(NOBODY, exec_signed_as_nobody_at_ring0, NULL, 0));
	ASSERT_EQ(0, kml_sysfs_write("exec_group", "none"));
	EXPECT_EQ(0, as_user(NOBODY, exec_signed_as_nobody, NULL, 0));
	EXPECT_EQ(1, kml_refused("unprivileged"));
}

TEST_F(gate, allow_bypass_off_refuses_every_bypass)
{
	int cpl = -1;

	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	ASSERT_EQ(0, kml_sysfs_write("allow_bypass", "0"));
	EXPECT_REFUSED(BYPASS_SIGNED, EPERM, "bypass-not-allowed");
	ASSERT_EQ(0, run_cpl(SIGNED, &cpl));
	EXPECT_EQ(0, cpl);
}

/*
 * Runs @payload "map-exec @what [@file]" and returns the errno it got (0:
 * granted), or -1 if it did not say.
 */
static int map_exec(const char *payload, const char *what, const char *file)
{
	unsigned long err = 0;
	char path[PATH_MAX];
	struct child c;

	if (file)
		snprintf(path, sizeof(path), "%s", payload_path(file));
	if (child_spawn(&c, payload,
			(const char *[]){ "map-exec", what, file ? path : NULL, NULL },
			NULL))
		return -1;
	child_finish(&c, PAYLOAD_TIMEOUT_MS);
	return output_value(&c, "result errno", &err) ? (int)err : -1;
}

/* In a test body: @what [@file] gets @err at ring 0, counted under @reason. */
#define EXPECT_MAPPING(what, file, err, reason) do {			\
	long long _before = kml_refused(reason);			\
									\
	EXPECT_EQ(err, map_exec(SIGNED, what, file)) TH_LOG("%s %s", what, file ?: ""); \
	EXPECT_EQ(_before + !!(err), kml_refused(reason)) TH_LOG("counter %s", reason); \
	EXPECT_EQ(0, map_exec(ATTACK_RING3, what, file)) TH_LOG("ring 3: %s", what); \
} while (0)

/* 0023: at CPL 0 any mapped code is kernel code. */
TEST_F(gate, anonymous_and_writable_executable_memory_is_refused)
{
	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	EXPECT_MAPPING("anon", NULL, EACCES, "anonymous-exec");
	EXPECT_MAPPING("wx", NULL, EACCES, "anonymous-exec");
	EXPECT_MAPPING("mprotect-anon", NULL, EACCES, "anonymous-exec");
	EXPECT_MAPPING("mprotect-written", SIGNED, EACCES, "anonymous-exec");
}

TEST_F(gate, a_file_mapped_executable_needs_an_approved_manifest)
{
	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	EXPECT_MAPPING("file", SIGNED, 0, "unapproved-mapping");
	EXPECT_MAPPING("file", BYPASS_SIGNED, 0, "unapproved-mapping");
	EXPECT_MAPPING("file", "attack-payload.unmarked", EACCES, "unapproved-mapping");
	EXPECT_MAPPING("file", UNTRUSTED, EACCES, "unapproved-mapping");
	EXPECT_MAPPING("mprotect-file", SIGNED, 0, "unapproved-mapping");
	EXPECT_MAPPING("mprotect-file", BYPASS_SIGNED, EACCES, "unapproved-mapping");
}

/* Whether @path can be opened for writing now: 0 or the errno. */
static int open_for_writing(const char *path)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

TEST_F(gate, code_never_becomes_writable_nor_data_executable)
{
	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	/* mprotect() adding write to code is asked, not only adding execute */
	EXPECT_MAPPING("mprotect-wx-text", NULL, EACCES, "anonymous-exec");
	EXPECT_MAPPING("uffd-mprotect", NULL, EACCES, "anonymous-exec");
	EXPECT_MAPPING("devzero", NULL, EACCES, "unapproved-mapping");
	/* READ_IMPLIES_EXEC would make the heap code without a mapping */
	EXPECT_EQ(EPERM, map_exec(SIGNED, "personality", NULL));
	EXPECT_EQ(0, map_exec(ATTACK_RING3, "personality", NULL));
}

TEST_F(gate, a_file_mapped_as_code_is_held_approved_and_unwritable)
{
	long long hits;

	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	hits = kml_read_number(GATE_SYSFS "cache_hits");
	/* the program's own file: held since its exec, so the cache answers */
	EXPECT_MAPPING("file", SIGNED, 0, "unapproved-mapping");
	EXPECT_LT(hits, kml_read_number(GATE_SYSFS "cache_hits"));
	/* mapped executable once, another mapping of it may become code */
	EXPECT_MAPPING("file-then-mprotect", BYPASS_SIGNED, 0, "unapproved-mapping");
	/* while the program runs, nobody opens it for writing */
	EXPECT_EQ(ETXTBSY, map_exec(SIGNED, "file-then-write", BYPASS_SIGNED));
	EXPECT_EQ(0, map_exec(ATTACK_RING3, "file-then-write", BYPASS_SIGNED));
	/* and the program's end releases it */
	EXPECT_EQ(0, open_for_writing(payload_path(BYPASS_SIGNED)));
	/* a file open for writing is not mapped as code */
	EXPECT_MAPPING("busy", BYPASS_SIGNED, ETXTBSY, "busy");
	/* a refused file is not held either */
	EXPECT_MAPPING("file", UNTRUSTED, EACCES, "unapproved-mapping");
	EXPECT_EQ(0, open_for_writing(payload_path(UNTRUSTED)));
}

TEST_F(gate, the_program_file_and_its_code_cannot_be_swapped)
{
	int ring3;

	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	EXPECT_EQ(EPERM, map_exec(SIGNED, "set-exe", BYPASS_SIGNED));
	EXPECT_NE(EPERM, map_exec(ATTACK_RING3, "set-exe", BYPASS_SIGNED));
	ring3 = map_exec(ATTACK_RING3, "uffd-exec", BYPASS_SIGNED);
	if (ring3)
		SKIP(return, "userfaultfd on a file mapping fails at ring 3 too (errno %d)", ring3);
	EXPECT_EQ(EPERM, map_exec(SIGNED, "uffd-exec", BYPASS_SIGNED));
}

/*
 * A copy of the signed payload in which the first program header of
 * @type that has all of @has gets @add as well (the signature no longer
 * matches, but these refusals come first).
 */
static void phdr_copy(struct __test_metadata *_metadata, char *copy,
		      Elf64_Word type, Elf64_Word has, Elf64_Word add)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int fd, i;

	tampered_copy(_metadata, copy, 0, 0);	/* flips byte 0: put it back */
	fd = open(copy, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, pwrite(fd, ELFMAG, 1, 0));
	ASSERT_EQ((ssize_t)sizeof(eh), pread(fd, &eh, sizeof(eh), 0));
	for (i = 0; i < eh.e_phnum; i++) {
		off_t at = eh.e_phoff + (off_t)i * sizeof(ph);

		ASSERT_EQ((ssize_t)sizeof(ph), pread(fd, &ph, sizeof(ph), at));
		if (ph.p_type != type || (ph.p_flags & has) != has)
			continue;
		ph.p_flags |= add;
		ASSERT_EQ((ssize_t)sizeof(ph), pwrite(fd, &ph, sizeof(ph), at));
		close(fd);
		return;
	}
	close(fd);
	ASSERT_TRUE(false) TH_LOG("the payload has no such program header");
}

TEST_F(gate, an_executable_stack_is_anonymous_exec)
{
	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	phdr_copy(_metadata, self->copy, PT_GNU_STACK, 0, PF_X);
	EXPECT_REFUSED(self->copy, EACCES, "anonymous-exec");
}

TEST_F(gate, a_writable_code_segment_is_anonymous_exec)
{
	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	phdr_copy(_metadata, self->copy, PT_LOAD, PF_X, PF_W);
	EXPECT_REFUSED(self->copy, EACCES, "anonymous-exec");
}

/*
 * A copy of the signed payload with @junk bytes between its PKCS#7
 * message and the info block, and sig_len counting them: the kernel
 * must not take bytes nobody signed as part of the signature.
 */
static void padded_signature_copy(struct __test_metadata *_metadata,
				  char *copy, size_t junk)
{
	static char buf[8 << 20];
	unsigned char *info;
	ssize_t n;
	uint32_t len;
	int in, out;

	snprintf(copy, 64, "/tmp/kml-gate-copy.%d", getpid());
	in = open(payload_path(SIGNED), O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, in);
	n = read(in, buf, sizeof(buf));
	close(in);
	ASSERT_LT(SIG_TRAILER + 12, n);
	ASSERT_GT((ssize_t)sizeof(buf), n + (ssize_t)junk);
	info = (unsigned char *)buf + n - SIG_TRAILER;
	/* [info][magic] move on by @junk; the gap gets 0x90s */
	memmove(info + junk, info, SIG_TRAILER);
	memset(info, 0x90, junk);
	info += junk;
	len = (uint32_t)info[8] << 24 | info[9] << 16 | info[10] << 8 | info[11];
	len += junk;
	info[8] = len >> 24;
	info[9] = len >> 16;
	info[10] = len >> 8;
	info[11] = len;
	out = open(copy, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	ASSERT_LE(0, out);
	ASSERT_EQ(n + (ssize_t)junk, write(out, buf, n + junk));
	close(out);
}

TEST_F(gate, unsigned_bytes_beside_the_signature_are_bad_signature)
{
	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	padded_signature_copy(_metadata, self->copy, 4096);
	EXPECT_REFUSED(self->copy, EKEYREJECTED, "bad-signature");
}

TEST_F(gate, only_the_signed_pages_of_a_file_may_be_code)
{
	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	/* its last page holds the signature, which is no code */
	EXPECT_MAPPING("tail", BYPASS_SIGNED, EACCES, "unapproved-mapping");
	/* nor does it become code through mprotect() of a held file */
	EXPECT_MAPPING("tail-mprotect", BYPASS_SIGNED, EACCES, "unapproved-mapping");
	/* and an approved mapping does not grow into more of the file */
	EXPECT_EQ(EPERM, map_exec(SIGNED, "mremap-grow", BYPASS_SIGNED));
	EXPECT_EQ(0, map_exec(ATTACK_RING3, "mremap-grow", BYPASS_SIGNED));
}

TEST_F(gate, a_file_whose_pages_change_without_a_write_is_unsafe)
{
	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	/* memfd: writable, and never counted as a writer */
	EXPECT_MAPPING("memfd", SIGNED, EACCES, "unsafe-file-system");
}

/* In a child: a memfd copy of the signed payload exec'd; its errno. */
static int exec_memfd_copy(void *data)
{
	char *const argv[] = { "cpl", NULL };
	char *const envp[] = { NULL };
	int in = open(payload_path(SIGNED), O_RDONLY | O_CLOEXEC);
	int m = memfd_create("kml-exec", 0);
	char buf[65536];
	ssize_t n;

	if (in < 0 || m < 0)
		return 200;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(m, buf, n) != n)
			return 201;
	fexecve(m, argv, envp);
	return errno;
}

TEST_F(gate, a_program_in_a_memfd_is_unsafe)
{
	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	EXPECT_EQ(EACCES, as_user(0, exec_memfd_copy, NULL, 0));
	EXPECT_EQ(1, kml_refused("unsafe-file-system"));
}

/* In a child: the signed payload exec'd under ptrace (so at CPL 3). */
static int exec_signed_traced(void *data)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		char *const argv[] = { "attack-payload", "cpl", NULL };

		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		execv(payload_path(SIGNED), argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == pid && WIFSTOPPED(status))
		ptrace(PTRACE_CONT, pid, NULL, NULL);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

TEST_F(gate, an_exec_that_runs_at_cpl3_after_all_holds_nothing)
{
	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	EXPECT_EQ(0, as_user(0, exec_signed_traced, NULL, 0));
	/* the approval was dropped with the exec: the file is writable */
	EXPECT_EQ(0, open_for_writing(payload_path(SIGNED)));
}

#define LIST "approvals.list"
#define LIST_UNTRUSTED "approvals-untrusted.list"

/* Writes @line to /sys/kernel/kml/approvals: 0 or -errno. */
static int approve(const char *line)
{
	return kml_sysfs_write("approvals", line);
}

/* Lines in /sys/kernel/kml/approvals: the lists loaded; -1 on error. */
static int approvals_loaded(void)
{
	FILE *f = fopen(GATE_SYSFS "approvals", "re");
	int c, lines = 0;

	if (!f)
		return -1;
	while ((c = fgetc(f)) != EOF)
		lines += c == '\n';
	fclose(f);
	return lines;
}

TEST_F(gate, an_approval_list_approves_files_as_they_are)
{
	int cpl = -1;

	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	EXPECT_REFUSED(payload_path("attack-payload"), EACCES, "unsigned");
	EXPECT_MAPPING("file", "attack-payload.unmarked", EACCES, "unapproved-mapping");
	ASSERT_EQ(0, approve(payload_path(LIST)));
	EXPECT_EQ(1, approvals_loaded());
	ASSERT_EQ(0, approve(payload_path(LIST)));	/* replaces itself */
	EXPECT_EQ(1, approvals_loaded());
	ASSERT_EQ(0, run_cpl(payload_path("attack-payload"), &cpl));
	EXPECT_EQ(0, cpl);
	EXPECT_MAPPING("file", "attack-payload.unmarked", 0, "unapproved-mapping");
	/* the list's generation is checked at each use, not only at load */
	ASSERT_EQ(0, kml_sysfs_write("min_generation", "6"));
	EXPECT_REFUSED(payload_path("attack-payload"), EKEYEXPIRED, "stale-generation");
	/* and a cleared list approves nothing, held files or not */
	ASSERT_EQ(0, approve("clear"));
	EXPECT_REFUSED(payload_path("attack-payload"), EACCES, "unsigned");
}

TEST_F(gate, an_approval_list_loads_only_signed_by_a_trusted_key_and_current)
{
	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	EXPECT_EQ(-ENOKEY, approve(payload_path(LIST_UNTRUSTED)));
	EXPECT_EQ(-EBADMSG, approve("/etc/passwd"));		/* no list at all */
	EXPECT_EQ(-EFBIG, approve(payload_path(SIGNED)));	/* a program */
	EXPECT_EQ(-EINVAL, approve("approvals.list"));		/* not absolute */
	EXPECT_EQ(-ENOENT, approve("/no/such.list"));
	ASSERT_EQ(0, kml_sysfs_write("min_generation", "6"));
	EXPECT_EQ(-EKEYEXPIRED, approve(payload_path(LIST)));
	EXPECT_EQ(0, approvals_loaded());
}

#define DEVKEY_SIGNED "attack-payload.devkey"

/* keyctl(2) operations the tests use */
#define KEYCTL_REVOKE 3
#define KEYCTL_LINK 8
#define KEYCTL_UNLINK 9

static long enrol(const char *path, long ring)
{
	return kml_enrol(path, ring, true);
}

/* Starts @payload "wait" (it holds its file until child_finish()). */
static int hold(struct child *holder, const char *payload)
{
	return spawn_ready(holder, payload, (const char *[]){ "wait", NULL }, -1);
}

TEST_F(gate, a_development_key_works_once_enrolled_and_not_once_revoked)
{
	struct child holder;
	long ring, key;
	long long kept;
	int cpl = -1;

	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	EXPECT_REFUSED(DEVKEY_SIGNED, ENOKEY, "unknown-key");
	ring = keyring_serial(".kml");
	ASSERT_LT(0, ring);
	key = enrol(payload_path("devkey.der"), ring);
	ASSERT_LT(0, key) TH_LOG("add_key: %s", strerror((int)-key));
	ASSERT_EQ(0, run_cpl(DEVKEY_SIGNED, &cpl));
	EXPECT_EQ(0, cpl);

	/* While the program runs, its verdict is kept: the key is asked again. */
	ASSERT_EQ(0, hold(&holder, DEVKEY_SIGNED)) TH_LOG("%s", holder.output);
	kept = kml_read_number(GATE_SYSFS "verdict_hits");
	ASSERT_EQ(0, run_cpl(DEVKEY_SIGNED, &cpl));
	EXPECT_EQ(0, cpl);
	EXPECT_EQ(kept + 1, kml_read_number(GATE_SYSFS "verdict_hits"));
	ASSERT_EQ(0, syscall(SYS_keyctl, KEYCTL_UNLINK, key, ring));
	EXPECT_REFUSED(DEVKEY_SIGNED, ENOKEY, "unknown-key");
	ASSERT_EQ(0, syscall(SYS_keyctl, KEYCTL_LINK, key, ring));
	ASSERT_EQ(0, run_cpl(DEVKEY_SIGNED, &cpl));
	EXPECT_EQ(0, cpl);
	ASSERT_EQ(0, syscall(SYS_keyctl, KEYCTL_REVOKE, key));
	/* the keyring search passes over a revoked key: nobody signed it */
	EXPECT_REFUSED(DEVKEY_SIGNED, ENOKEY, "unknown-key");
	child_finish(&holder, PAYLOAD_TIMEOUT_MS);
	EXPECT_REFUSED(DEVKEY_SIGNED, ENOKEY, "unknown-key");

	/* A key added straight to kml's keyring, as `kml key enroll` does, can go too. */
	key = kml_enrol(payload_path("devkey.der"), ring, false);
	ASSERT_LT(0, key) TH_LOG("add_key: %s", strerror((int)-key));
	ASSERT_EQ(0, run_cpl(DEVKEY_SIGNED, &cpl));
	EXPECT_EQ(0, cpl);
	EXPECT_EQ(0, syscall(SYS_keyctl, KEYCTL_UNLINK, key, ring))
		TH_LOG("unlink: %s", strerror(errno));
	EXPECT_REFUSED(DEVKEY_SIGNED, ENOKEY, "unknown-key");
}

TEST_F(gate, a_held_programs_verdict_is_kept_and_a_free_one_verified)
{
	struct child holder;
	long long kept;
	int cpl = -1;

	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	ASSERT_EQ(0, hold(&holder, SIGNED)) TH_LOG("%s", holder.output);
	kept = kml_read_number(GATE_SYSFS "verdict_hits");
	ASSERT_EQ(0, run_cpl(SIGNED, &cpl));
	EXPECT_EQ(0, cpl);
	EXPECT_EQ(kept + 1, kml_read_number(GATE_SYSFS "verdict_hits"));
	/* the policy is applied to a kept verdict as to a new one */
	ASSERT_EQ(0, kml_sysfs_write("min_assurance", "verified"));
	EXPECT_REFUSED(SIGNED, EACCES, "assurance-too-low");
	ASSERT_EQ(0, kml_sysfs_write("min_assurance", "trusted"));
	child_finish(&holder, PAYLOAD_TIMEOUT_MS);
	/* nothing holds the file now: its signature is verified again */
	kept = kml_read_number(GATE_SYSFS "verdict_hits");
	ASSERT_EQ(0, run_cpl(SIGNED, &cpl));
	EXPECT_EQ(0, cpl);
	EXPECT_EQ(kept, kml_read_number(GATE_SYSFS "verdict_hits"));
}

/* Reads the payload file @name (+ @suffix) into @buf: its length, or -errno. */
static ssize_t read_payload(const char *name, const char *suffix, char *buf,
			    size_t size)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s%s", payload_path(name), suffix);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size);
	close(fd);
	return n <= 0 ? -EIO : n;
}

/*
 * The blacklist entry made at image build (blacklist-entry.sh: @name
 * holds its signature, @name.desc its description): added if @add and
 * it is not in yet. 0, -EEXIST if this boot has it already (revocations
 * last until reboot), or -errno.
 */
static int blacklist(const char *name, bool add)
{
	static char sig[8192], desc[80], line[512];
	long ring = -1;
	ssize_t n;
	FILE *f;

	n = read_payload(name, ".desc", desc, sizeof(desc) - 1);
	if (n < 0)
		return n;
	desc[n] = 0;
	f = fopen("/proc/keys", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, desc)) {
			fclose(f);
			return -EEXIST;
		}
		if (strstr(line, " keyring ") && strstr(line, " .blacklist: "))
			ring = strtol(line, NULL, 16);
	}
	fclose(f);
	if (!add)
		return 0;
	if (ring < 0)
		return -ENOENT;
	n = read_payload(name, "", sig, sizeof(sig));
	if (n < 0)
		return n;
	if (syscall(SYS_add_key, "blacklist", desc, sig, (size_t)n, ring) < 0)
		return -errno;
	return 0;
}

/* In a test body: skips if @name's blacklist entry is in already. */
#define NOT_BLACKLISTED_YET(name) do {					\
	if (blacklist(name, false) == -EEXIST)				\
		SKIP(return, "%s: revoked earlier in this boot", name);	\
} while (0)

#define REVOKED_DIGEST "attack-payload.revoked"
#define REVOKED_CERT "attack-payload.revkey"

TEST_F(gate, a_digest_on_the_blacklist_is_revoked_held_or_not)
{
	struct child holder;
	int cpl = -1;

	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	NOT_BLACKLISTED_YET("revoked-digest.p7s");
	ASSERT_EQ(0, hold(&holder, REVOKED_DIGEST)) TH_LOG("%s", holder.output);
	ASSERT_EQ(0, run_cpl(REVOKED_DIGEST, &cpl));
	EXPECT_EQ(0, cpl);
	ASSERT_EQ(0, blacklist("revoked-digest.p7s", true));
	EXPECT_REFUSED(REVOKED_DIGEST, EKEYREVOKED, "revoked");
	child_finish(&holder, PAYLOAD_TIMEOUT_MS);
	EXPECT_REFUSED(REVOKED_DIGEST, EKEYREVOKED, "revoked");
	/* another file signed by the same key is not */
	ASSERT_EQ(0, run_cpl(SIGNED, &cpl));
	EXPECT_EQ(0, cpl);
}

TEST_F(gate, a_certificate_on_the_blacklist_is_revoked_held_or_not)
{
	struct child holder;
	long ring, key;
	int cpl = -1;

	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	NOT_BLACKLISTED_YET("revoked-cert.p7s");
	ring = keyring_serial(".kml");
	ASSERT_LT(0, ring);
	key = enrol(payload_path("revkey.der"), ring);
	ASSERT_LT(0, key) TH_LOG("add_key: %s", strerror((int)-key));
	ASSERT_EQ(0, hold(&holder, REVOKED_CERT)) TH_LOG("%s", holder.output);
	ASSERT_EQ(0, run_cpl(REVOKED_CERT, &cpl));
	EXPECT_EQ(0, cpl);
	/* the key stays in the keyring: the certificate in the signature is out */
	ASSERT_EQ(0, blacklist("revoked-cert.p7s", true));
	EXPECT_REFUSED(REVOKED_CERT, EKEYREVOKED, "revoked");
	child_finish(&holder, PAYLOAD_TIMEOUT_MS);
	EXPECT_REFUSED(REVOKED_CERT, EKEYREVOKED, "revoked");
	EXPECT_EQ(0, syscall(SYS_keyctl, KEYCTL_UNLINK, key, ring));
}

/* The bytes of @fd's appended signature and trailer, or -1. */
static off_t signature_span(int fd)
{
	off_t size = lseek(fd, 0, SEEK_END);
	unsigned char be[4];

	/* struct kml_sig_info ends with sig_len, big-endian */
	if (size < SIG_TRAILER || pread(fd, be, 4, size - SIG_TRAILER + 8) != 4)
		return -1;
	return SIG_TRAILER + ((off_t)be[0] << 24 | be[1] << 16 | be[2] << 8 | be[3]);
}

/* Appends @len bytes of @in from @off to @out: 0 or -1. */
static int append_range(int out, int in, off_t off, off_t len)
{
	char buf[4096];
	ssize_t n;

	for (; len > 0; len -= n, off += n) {
		n = pread(in, buf, len < (off_t)sizeof(buf) ? len : (off_t)sizeof(buf), off);
		if (n <= 0 || write(out, buf, n) != n)
			return -1;
	}
	return 0;
}

/* A copy in /tmp of @body's signed bytes with @donor's signature after them. */
static void grafted_copy(struct __test_metadata *_metadata, char *copy,
			 const char *body, const char *donor)
{
	int b = open(payload_path(body), O_RDONLY | O_CLOEXEC);
	int d = open(payload_path(donor), O_RDONLY | O_CLOEXEC);
	off_t bspan, dspan;
	int out;

	snprintf(copy, 64, "/tmp/kml-gate-copy.%d", getpid());
	out = open(copy, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	ASSERT_LE(0, b);
	ASSERT_LE(0, d);
	ASSERT_LE(0, out);
	bspan = signature_span(b);
	dspan = signature_span(d);
	ASSERT_LT(0, bspan);
	ASSERT_LT(0, dspan);
	ASSERT_EQ(0, append_range(out, b, 0, lseek(b, 0, SEEK_END) - bspan));
	ASSERT_EQ(0, append_range(out, d, lseek(d, 0, SEEK_END) - dspan, dspan));
	close(out);
	close(b);
	close(d);
}

TEST_F(gate, a_signature_taken_from_another_file_is_tampered)
{
	ASSERT_EQ(0, kml_load_with("min_assurance=trusted"));
	/* a file as long as the one signed: the digest differs */
	grafted_copy(_metadata, self->copy, SIGNED, BYPASS_SIGNED);
	EXPECT_REFUSED(self->copy, EBADMSG, "tampered");
	/* a longer one: the length differs */
	grafted_copy(_metadata, self->copy, REVOKED_DIGEST, SIGNED);
	EXPECT_REFUSED(self->copy, EBADMSG, "tampered");
}

TEST_F(gate, development_mode_maps_unsigned_code_and_counts_it)
{
	ASSERT_EQ(0, kml_load_with("min_assurance=trusted allow_unsigned=1"));
	EXPECT_MAPPING("file", "attack-payload.unmarked", 0, "unapproved-mapping");
	EXPECT_EQ(1, kml_read_number(GATE_SYSFS "unsigned_execs"));
	EXPECT_MAPPING("file", UNTRUSTED, EACCES, "unapproved-mapping");
}

TEST_HARNESS_MAIN
