// SPDX-License-Identifier: GPL-2.0
/*
 * kml.ko reads the PT_NOTE segments of every 64-bit ELF program anyone
 * execs, looking for the KML marker, before the kernel has decided
 * anything else. A crafted note segment must not make it read past what
 * it read from the file (the old parser did: a last note whose size is
 * not a multiple of 4 and that ends within 3 bytes of the segment's end
 * moved it past the end, and it went on from there; KASAN reported a
 * slab-out-of-bounds read in kml_scan_notes).
 *
 * Each variant is an unmarked static program, written at run time into a
 * tmpfs directory, whose only code is exit(N); its PT_NOTE segment is the
 * crafted part. Every exec, by root and by nobody, must either run the
 * program (exit status N) or fail cleanly with ENOEXEC, EACCES or EPERM;
 * the kernel must report nothing (any report fails the run, and a KASAN
 * report or a WARN taints the kernel, which the fixture checks).
 *
 * The parser runs only while kml.ko is loaded: without it these execs are
 * plain ones (KML_REQUIRE_RING0=1 makes that a failure).
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

#include "kselftest_harness.h"
#include "attack.h"
#include "linux/kml_note.h"

#define LOAD_ADDR 0x400000UL
#define CODE_OFF 0x100UL	/* exit(N), after the headers */
#define NOTE_OFF 0x1000UL	/* the note segment */
#define FILE_SIZE (NOTE_OFF + 0x2000UL)	/* room for any p_filesz below */

/* One note as it is laid out: header, name, desc, each padded to align. */
struct note_spec {
	unsigned int namesz;
	unsigned int descsz;
	unsigned int type;
	const char *name;	/* its bytes, NULL for filler */
};

FIXTURE_VARIANT(notes) {
	unsigned long filesz;	/* the PT_NOTE segment's p_filesz */
	unsigned long align;	/* its p_align (the parser uses 4 or 8) */
	int exit_code;		/* what the program exits with if it runs */
	struct note_spec notes[4];
};

FIXTURE(notes) {
	struct attack_env env;
	char dir[64];
	char path[96];
};

/*
 * The last note ends exactly at, or 1-3 bytes before, the end of the
 * segment, and its descriptor is not a multiple of 4 (8) long: padded,
 * it reaches past the end.
 */
FIXTURE_VARIANT_ADD(notes, filesz_4095_last_desc_3_ends_at_the_end) {
	.filesz = 4095, .align = 4, .exit_code = 40,
	.notes = { { 4, 4060, 1, "GNU" }, { 4, 3, 1, "XYZ" } },
};
FIXTURE_VARIANT_ADD(notes, filesz_4093_last_desc_1_ends_at_the_end) {
	.filesz = 4093, .align = 4, .exit_code = 41,
	.notes = { { 4, 4060, 1, "GNU" }, { 4, 1, 1, "XYZ" } },
};
FIXTURE_VARIANT_ADD(notes, filesz_4095_last_desc_1_ends_2_bytes_before_the_end) {
	.filesz = 4095, .align = 4, .exit_code = 42,
	.notes = { { 4, 4060, 1, "GNU" }, { 4, 1, 1, "XYZ" } },
};
FIXTURE_VARIANT_ADD(notes, filesz_4095_align_8_last_desc_7_ends_at_the_end) {
	.filesz = 4095, .align = 8, .exit_code = 43,
	.notes = { { 4, 4048, 1, "GNU" }, { 4, 7, 1, "XYZ" } },
};
/* A KML marker whose descriptor is cut short at the segment's end. */
FIXTURE_VARIANT_ADD(notes, filesz_4094_kml_marker_desc_6_ends_at_the_end) {
	.filesz = 4094, .align = 4, .exit_code = 44,
	.notes = { { 4, 4056, 1, "GNU" }, { KML_NOTE_NAMESZ, 6, NT_KML_MARKER, KML_NOTE_NAME } },
};
/* Segments shorter than, as long as, and just longer than a note header. */
FIXTURE_VARIANT_ADD(notes, filesz_0) {
	.filesz = 0, .align = 4, .exit_code = 45,
	.notes = { { 4, 4, 1, "XYZ" } },
};
FIXTURE_VARIANT_ADD(notes, filesz_1) {
	.filesz = 1, .align = 4, .exit_code = 46,
	.notes = { { 4, 4, 1, "XYZ" } },
};
FIXTURE_VARIANT_ADD(notes, filesz_12_header_only) {
	.filesz = 12, .align = 4, .exit_code = 47,
	.notes = { { 0, 0, 1, NULL } },
};
FIXTURE_VARIANT_ADD(notes, filesz_13_header_and_desc_1) {
	.filesz = 13, .align = 4, .exit_code = 48,
	.notes = { { 0, 1, 1, NULL } },
};
/* Sizes that overflow 32-bit arithmetic, and wrap 64-bit sums. */
FIXTURE_VARIANT_ADD(notes, namesz_0xffffffff) {
	.filesz = 64, .align = 4, .exit_code = 49,
	.notes = { { 0xffffffff, 4, 1, NULL } },
};
FIXTURE_VARIANT_ADD(notes, descsz_0xffffffff) {
	.filesz = 64, .align = 4, .exit_code = 50,
	.notes = { { 4, 0xffffffff, 1, "XYZ" } },
};
FIXTURE_VARIANT_ADD(notes, kml_marker_descsz_0xffffffff) {
	.filesz = 64, .align = 4, .exit_code = 51,
	.notes = { { KML_NOTE_NAMESZ, 0xffffffff, NT_KML_MARKER, KML_NOTE_NAME } },
};
/* Several well-formed notes, then a ragged one at the end. */
FIXTURE_VARIANT_ADD(notes, several_notes_last_ragged) {
	.filesz = 90, .align = 4, .exit_code = 52,
	.notes = { { 4, 4, 1, "GNU" }, { 8, 12, 2, "Linux12" }, { 4, 0, 3, "XYZ" },
		   { 2, 5, 4, "Q" } },
};


static size_t pad(size_t n, unsigned long align)
{
	return (n + align - 1) & ~(align - 1);
}

/* Lays the notes out from offset 0 of seg; bytes past @len are cut off. */
static void write_notes(unsigned char *seg, size_t len, const struct note_spec *notes,
			size_t count, unsigned long align)
{
	size_t off = 0, i;

	for (i = 0; i < count && (notes[i].namesz || notes[i].descsz || notes[i].type); i++) {
		const struct note_spec *n = &notes[i];
		Elf64_Nhdr h = { .n_namesz = n->namesz, .n_descsz = n->descsz, .n_type = n->type };
		size_t name_len = n->name ? strlen(n->name) + 1 : 0;
		size_t body;

		if (off + sizeof(h) > len)
			return;
		memcpy(seg + off, &h, sizeof(h));
		off += sizeof(h);
		if (name_len > len - off)
			name_len = len - off;
		memcpy(seg + off, n->name ? n->name : "", n->name ? name_len : 0);
		/* The descriptors' bytes are arbitrary; sizes past the file stay sizes. */
		body = pad(n->namesz, align) + pad(n->descsz, align);
		if (body > len - off)
			return;
		memset(seg + off + pad(n->namesz, align), 0x5c, n->descsz);
		off += body;
	}
}

/* The whole file: ELF header, PT_LOAD of the code, the PT_NOTE segment. */
static int write_program(const char *path, const FIXTURE_VARIANT(notes) *v)
{
	static unsigned char file[FILE_SIZE];
	const unsigned char code[] = {
		0xb8, 60, 0, 0, 0,			/* mov $60, %eax (exit) */
		0xbf, (unsigned char)v->exit_code, 0, 0, 0,	/* mov $N, %edi */
		0x0f, 0x05,				/* syscall */
	};
	Elf64_Ehdr *eh = (Elf64_Ehdr *)file;
	Elf64_Phdr *ph = (Elf64_Phdr *)(file + sizeof(*eh));
	ssize_t n;
	int fd;

	memset(file, 0, sizeof(file));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = LOAD_ADDR + CODE_OFF;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 2;

	ph[0].p_type = PT_LOAD;
	ph[0].p_flags = PF_R | PF_X;
	ph[0].p_offset = 0;
	ph[0].p_vaddr = ph[0].p_paddr = LOAD_ADDR;
	ph[0].p_filesz = ph[0].p_memsz = CODE_OFF + sizeof(code);
	ph[0].p_align = 0x1000;

	ph[1].p_type = PT_NOTE;
	ph[1].p_flags = PF_R;
	ph[1].p_offset = NOTE_OFF;
	ph[1].p_filesz = v->filesz;
	ph[1].p_align = v->align;

	memcpy(file + CODE_OFF, code, sizeof(code));
	write_notes(file + NOTE_OFF, v->filesz, v->notes, ARRAY_SIZE(v->notes), v->align);
	/* Past the segment: bytes a runaway parser would read as a note header. */
	memset(file + NOTE_OFF + v->filesz, 0xff, FILE_SIZE - NOTE_OFF - v->filesz);

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (fd < 0)
		return -errno;
	n = write(fd, file, sizeof(file));
	close(fd);
	return n == (ssize_t)sizeof(file) ? 0 : -EIO;
}

FIXTURE_SETUP(notes)
{
	attack_env_setup(&self->env);
	snprintf(self->dir, sizeof(self->dir), "/tmp/kml-notes-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, chmod(self->dir, 0755));	/* nobody must reach the file */
	snprintf(self->path, sizeof(self->path), "%s/prog", self->dir);
	ASSERT_EQ(0, write_program(self->path, variant));
}

FIXTURE_TEARDOWN(notes)
{
	unlink(self->path);
	rmdir(self->dir);
	EXPECT_EQ(0, ring0_env_teardown(&self->env.ring0));
	EXPECT_EQ(self->env.tainted, kernel_tainted())
		TH_LOG("the kernel is tainted now: see its log (KASAN in kml_scan_notes?)");
}

struct exec_try {
	char path[96];
	int err;	/* execve's errno, 0 if it ran */
};

static int exec_it(void *data)
{
	struct exec_try *t = data;

	execl(t->path, t->path, (char *)NULL);
	t->err = errno;
	return 127;
}

static void expect_runs_or_is_refused(struct __test_metadata *_metadata, const char *path,
				      uid_t uid, int exit_code)
{
	struct exec_try t = { .err = 0 };
	int status;

	snprintf(t.path, sizeof(t.path), "%s", path);
	status = as_user(uid, exec_it, &t, sizeof(t));
	ASSERT_NE(126, status) TH_LOG("could not become uid %d", (int)uid);
	if (t.err) {
		EXPECT_TRUE(t.err == ENOEXEC || t.err == EACCES || t.err == EPERM)
			TH_LOG("exec failed with %s", strerror(t.err));
	} else {
		EXPECT_EQ(exit_code, status) TH_LOG("the program ran but exited %d", status);
	}
}

TEST_F(notes, exec_by_root_runs_or_fails_cleanly)
{
	REQUIRE_KML_LOADED(&self->env);
	expect_runs_or_is_refused(_metadata, self->path, 0, variant->exit_code);
}

TEST_F(notes, exec_by_nobody_runs_or_fails_cleanly)
{
	REQUIRE_KML_LOADED(&self->env);
	expect_runs_or_is_refused(_metadata, self->path, NOBODY, variant->exit_code);
}

TEST_HARNESS_MAIN
