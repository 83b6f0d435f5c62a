// SPDX-License-Identifier: GPL-2.0
/*
 * exec_fuzz: the kernel's exec path against mutated ELF files. It writes
 * KML_EXEC_FUZZ_N files (default 10,000; also the first argument) made
 * from a seed (KML_EXEC_FUZZ_SEED or the second argument) into a tmpfs
 * directory (docs/fuzzing.md), execs each one in a forked child with
 * alarm(5), half as root and half as uid 65534, and classifies how it
 * ended: ran with status S, exec failed with errno E, or killed by
 * signal. Where the file's construction
 * says what docs/marker.md's rule (kml_note_decide()) makes of it, the
 * outcome must match: no marker or a disabled one runs, an enabled one
 * runs as root and fails with EPERM for uid 65534, a refused marker or
 * two marker notes fail with ENOEXEC. For every file, whatever it is:
 * a program that ran exited with its own status, nothing hung, root never
 * got EPERM, and kml's counters agree with what was seen.
 *
 * Why nothing but the exit stub can ever run, whatever the headers say:
 * the only code is `mov $60,%eax; mov $N,%edi; syscall` (exit(N)), the
 * last 12 bytes of a file that never exceeds one page, at page offset K,
 * and e_entry (base + K) is never mutated. Mappings are made of whole
 * file pages, so whichever segment maps the entry's page maps file page 0
 * (the stub at K, then zeros up to the page end) or a page past the end
 * of the file (SIGBUS), or anonymous zeros; zeros fault on the first
 * instruction (`add %al,(%rax)`). Mutations never touch the stub or
 * e_entry and never grow the file.
 *
 * Environment: KML_EXEC_FUZZ_N, KML_EXEC_FUZZ_SEED, KML_EXEC_FUZZ_FIRST
 * (index of the first file, to reproduce one), KML_EXEC_FUZZ_DIR (default
 * $TMPDIR or /tmp), KML_EXEC_FUZZ_NO_KML=1 (a kernel without kml.ko, e.g.
 * a host check: no marker is honoured, every sane file runs),
 * KML_EXEC_FUZZ_KEEP=1 (keep the files), KML_EXEC_FUZZ_DRY=1 (write and
 * check the files, run none: counts what the generator makes),
 * KML_EXEC_FUZZ_VERBOSE=1 (one line per file).
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/kml_note.h>
#include <linux/magic.h>

#include "kselftest_harness.h"
#include "kml_vmtest.h"

#ifndef EXEC_FUZZ_N_DEFAULT
#define EXEC_FUZZ_N_DEFAULT 10000
#endif

#define FILE_MAX	4096	/* one page, see the comment at the top */
#define PHDR_SLOTS	8
#define BLOB_START	(sizeof(Elf64_Ehdr) + PHDR_SLOTS * sizeof(Elf64_Phdr))
#define STUB_SIZE	12
#define EXEC_BASE	0x400000UL
#define NOBODY		65534
#define CHILD_ALARM	5
#define MAX_REPORTS	20

/* ---- a small deterministic generator (splitmix64) ---- */

struct rng {
	uint64_t state;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rng_below(struct rng *r, uint64_t bound)
{
	return bound ? rng_next(r) % bound : 0;
}

static bool one_in(struct rng *r, uint64_t n)
{
	return rng_below(r, n) == 0;
}

#define PICK(r, array) ((array)[rng_below(r, sizeof(array) / sizeof((array)[0]))])

/* ---- building a file ---- */

/* What the file is and what the generator knows about it. */
struct elf_file {
	_Alignas(8) unsigned char buf[FILE_MAX];
	size_t size;		/* the file's length */
	size_t blob_end;	/* end of the data; the stub follows */
	size_t stub;		/* offset of the exit stub, the entry point */
	uint64_t entry;		/* e_entry as built */
	unsigned int nphdr;
	int status;		/* what the stub exits with */
	bool weak;		/* mutated beyond what the rule can predict */
	bool interp;		/* has a PT_INTERP to a missing file */
	char what[512];		/* the recipe, for messages */
};

static void describe(struct elf_file *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void describe(struct elf_file *f, const char *fmt, ...)
{
	size_t len = strlen(f->what);
	va_list ap;

	if (len + 3 >= sizeof(f->what))
		return;
	if (len) {
		memcpy(f->what + len, "; ", 3);
		len += 2;
	}
	va_start(ap, fmt);
	vsnprintf(f->what + len, sizeof(f->what) - len, fmt, ap);
	va_end(ap);
}

static Elf64_Ehdr *ehdr(struct elf_file *f)
{
	return (Elf64_Ehdr *)f->buf;
}

static Elf64_Phdr *phdr(struct elf_file *f, unsigned int i)
{
	return (Elf64_Phdr *)(f->buf + sizeof(Elf64_Ehdr)) + i;
}

static Elf64_Phdr *add_phdr(struct elf_file *f, uint32_t type, uint32_t flags)
{
	Elf64_Phdr *ph;

	if (f->nphdr == PHDR_SLOTS)
		return NULL;
	ph = phdr(f, f->nphdr++);
	ph->p_type = type;
	ph->p_flags = flags;
	return ph;
}

/* Appends @len bytes to the data area, aligned; its offset, or 0. */
static size_t add_blob(struct elf_file *f, const void *data, size_t len,
		       size_t align)
{
	size_t off = (f->blob_end + align - 1) / align * align;

	if (off + len + 16 + STUB_SIZE > FILE_MAX)
		return 0;
	memcpy(f->buf + off, data, len);
	f->blob_end = off + len;
	return off;
}

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) / a * a;
}

/*
 * Where a note's descriptor starts and where the next note starts, from
 * the note's start: the gABI layout, as libelf, readelf and binfmt_elf's
 * own property notes read it. With 4-byte alignment the name is padded to
 * 4; with 8, the descriptor starts at the next multiple of 8 after header
 * and name (16 for "KML\0", no padding) and the note ends at one.
 */
static size_t note_desc(uint32_t namesz, size_t align)
{
	return align_up(sizeof(Elf64_Nhdr) + (size_t)namesz, align);
}

static size_t note_next(uint32_t namesz, uint32_t descsz, size_t align)
{
	return align_up(note_desc(namesz, align) + descsz, align);
}

/* One note, padded as above. Returns its length. */
static size_t put_note(unsigned char *out, uint32_t namesz, const char *name,
		       uint32_t descsz, uint32_t type, const void *desc,
		       size_t desclen, size_t align)
{
	Elf64_Nhdr nh = { namesz, descsz, type };
	size_t len = note_next(namesz, descsz, align);

	memset(out, 0, len);
	memcpy(out, &nh, sizeof(nh));
	memcpy(out + sizeof(nh), name, strnlen(name, namesz));
	memcpy(out + note_desc(namesz, align), desc,
	       desclen < descsz ? desclen : descsz);
	return len;
}

static size_t put_marker(unsigned char *out, uint32_t version, uint32_t flags,
			 uint32_t descsz, size_t align)
{
	struct kml_note note = { .version = version, .flags = flags };

	return put_note(out, KML_NOTE_NAMESZ, KML_NOTE_NAME, descsz,
			NT_KML_MARKER, &note, sizeof(note), align);
}

static const uint32_t versions[] = { 1, 1, 1, 1, 0, 2, 0xffffffff };
static const uint32_t flag_values[] = {
	0, KML_NOTE_F_ENABLE, KML_NOTE_F_ENABLE, KML_NOTE_F_ENABLE,
	KML_NOTE_F_BYPASS, KML_NOTE_F_ENABLE | KML_NOTE_F_BYPASS,
	KML_NOTE_F_ENABLE | 0x4, 0x80000000, 0x4,
};
static const uint32_t desc_sizes[] = {
	sizeof(struct kml_note), sizeof(struct kml_note), 8, 12, 36, 64,
	7, 4, 0, 33,
};
static const uint32_t lying_sizes[] = {
	0, 1, 3, 5, 7, 9, 31, 33, 0x7fffffff, 0x80000000, 0xfffffffc,
	0xffffffff, 4096,
};

/* A PT_NOTE over @len bytes at @off. */
static Elf64_Phdr *note_segment(struct elf_file *f, size_t off, size_t len,
				size_t align)
{
	Elf64_Phdr *ph = add_phdr(f, PT_NOTE, PF_R);

	if (ph) {
		ph->p_offset = off;
		ph->p_filesz = ph->p_memsz = len;
		ph->p_align = align;
	}
	return ph;
}

/* The markers and other notes: several recipes, each with a known truth. */
static void add_notes(struct elf_file *f, struct rng *r)
{
	unsigned char seg[1024], other[256];
	size_t align = one_in(r, 4) ? 8 : 4;
	uint32_t version = PICK(r, versions), flags = PICK(r, flag_values);
	uint32_t descsz = PICK(r, desc_sizes);
	size_t len = 0, off;
	Elf64_Phdr *ph;
	unsigned char gnu[20] = { 0 };

	switch (rng_below(r, 10)) {
	case 0:
	case 1:
		describe(f, "unmarked");
		return;
	case 2:
	case 3:
	case 4:
	case 5:		/* one marker, maybe next to a GNU note */
		if (one_in(r, 3))
			len += put_note(seg + len, 4, "GNU", sizeof(gnu), 3,
					gnu, sizeof(gnu), align);
		len += put_marker(seg + len, version, flags, descsz, align);
		if (one_in(r, 4))
			len += put_note(seg + len, 4, "GNU", sizeof(gnu), 3,
					gnu, sizeof(gnu), align);
		describe(f, "marker v%u flags %#x descsz %u align %zu",
			 version, flags, descsz, align);
		break;
	case 6:		/* two markers that disagree */
		len += put_marker(seg, 1, KML_NOTE_F_ENABLE,
				  sizeof(struct kml_note), align);
		/* The other one: disabled, or a longer descriptor. */
		descsz = one_in(r, 2) ? sizeof(struct kml_note) : 64;
		flags = descsz == 64 ? KML_NOTE_F_ENABLE : 0;
		if (one_in(r, 2)) {
			len += put_marker(seg + len, 1, flags, descsz, align);
			describe(f, "conflicting markers, one segment");
		} else {
			size_t n = put_marker(other, 1, flags, descsz, align);

			off = add_blob(f, other, n, align);
			if (off)
				note_segment(f, off, n, align);
			describe(f, "conflicting markers, two segments");
		}
		break;
	case 7:		/* the same marker twice, at two offsets: refused */
		len = put_marker(seg, version, flags, descsz, align);
		off = add_blob(f, seg, len, align);
		if (off)
			note_segment(f, off, len, align);
		describe(f, "two copies of marker v%u flags %#x descsz %u",
			 version, flags, descsz);
		break;
	case 8:		/* near misses: not markers */
		len = put_note(seg, KML_NOTE_NAMESZ, KML_NOTE_NAME,
			       sizeof(struct kml_note), 2, gnu, sizeof(gnu),
			       align);
		len += put_note(seg + len, 3, KML_NOTE_NAME,
				sizeof(struct kml_note), NT_KML_MARKER, gnu,
				sizeof(gnu), align);
		len += put_note(seg + len, KML_NOTE_NAMESZ, "KMl",
				sizeof(struct kml_note), NT_KML_MARKER, gnu,
				sizeof(gnu), align);
		describe(f, "near-miss notes");
		break;
	default: {	/* a marker whose sizes lie */
		Elf64_Nhdr nh;

		len = put_marker(seg, 1, KML_NOTE_F_ENABLE,
				 sizeof(struct kml_note), align);
		memcpy(&nh, seg, sizeof(nh));
		if (one_in(r, 2))
			nh.n_descsz = PICK(r, lying_sizes);
		else
			nh.n_namesz = PICK(r, lying_sizes);
		memcpy(seg, &nh, sizeof(nh));
		describe(f, "enabled marker with n_namesz %u n_descsz %u",
			 nh.n_namesz, nh.n_descsz);
		break;
	}
	}
	off = add_blob(f, seg, len, align);
	ph = off ? note_segment(f, off, len, align) : NULL;
	if (!ph)
		return;
	if (one_in(r, 6)) {	/* the segment ends inside its last note */
		ph->p_filesz = ph->p_memsz = rng_below(r, len);
		describe(f, "PT_NOTE cut to %lu bytes",
			 (unsigned long)ph->p_filesz);
	}
	if (one_in(r, 10)) {
		static const uint64_t aligns[] = { 0, 1, 3, 4, 8, 16 };

		ph->p_align = PICK(r, aligns);
		describe(f, "PT_NOTE p_align %lu", (unsigned long)ph->p_align);
	}
	if (one_in(r, 8)) {	/* one note seen through two PT_NOTEs */
		Elf64_Phdr *again = add_phdr(f, PT_NOTE, PF_R);

		if (again) {
			*again = *ph;
			describe(f, "the same notes through two PT_NOTEs");
		}
	}
	if (one_in(r, 20)) {	/* cannot be read whole: holds no marker */
		ph->p_filesz = ph->p_memsz = FILE_MAX + rng_below(r, 64);
		describe(f, "PT_NOTE beyond the end of the file");
	}
}

static void add_interp(struct elf_file *f, struct rng *r)
{
	static const char *const paths[] = {
		"/nonexistent/ld-kml.so.1", "ld-kml.so", "/kml/none/x",
	};
	const char *path = PICK(r, paths);
	size_t off = add_blob(f, path, strlen(path) + 1, 1);
	Elf64_Phdr *ph = off ? add_phdr(f, PT_INTERP, PF_R) : NULL;

	if (!ph)
		return;
	ph->p_offset = off;
	ph->p_filesz = ph->p_memsz = strlen(path) + 1;
	ph->p_align = 1;
	f->interp = true;
	describe(f, "PT_INTERP %s", path);
}

/* The program's only code: exit(@status). */
static void stub_bytes(unsigned char *out, int status)
{
	static const unsigned char stub[STUB_SIZE] = {
		0xb8, 60, 0, 0, 0,	/* mov $60,%eax (exit) */
		0xbf, 0, 0, 0, 0,	/* mov $N,%edi */
		0x0f, 0x05,		/* syscall */
	};

	memcpy(out, stub, STUB_SIZE);
	memcpy(out + 6, &status, 4);
}

/* Stub, headers, code segment: a valid static program around the data. */
static void lay_out(struct elf_file *f, bool pie)
{
	uint64_t base = pie ? 0 : EXEC_BASE;
	Elf64_Ehdr *eh = ehdr(f);
	Elf64_Phdr *code = phdr(f, 0);
	unsigned int i;

	f->stub = align_up(f->blob_end, 16);
	f->size = f->stub + STUB_SIZE;
	stub_bytes(f->buf + f->stub, f->status);

	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = pie ? ET_DYN : ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = f->entry = base + f->stub;
	eh->e_phoff = sizeof(Elf64_Ehdr);
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = f->nphdr;

	code->p_offset = 0;
	code->p_vaddr = code->p_paddr = base;
	code->p_filesz = code->p_memsz = f->size;
	code->p_align = 0x1000;
	for (i = 1; i < f->nphdr; i++) {
		Elf64_Phdr *ph = phdr(f, i);

		if (ph->p_type != PT_GNU_STACK)
			ph->p_vaddr = ph->p_paddr = base + ph->p_offset;
	}
}

/* ---- mutations no rule predicts (the file becomes "weak") ---- */

struct field {
	const char *name;
	size_t off;
	unsigned int width;
};

static void set_field(struct elf_file *f, size_t base, const struct field *fl,
		      uint64_t value)
{
	if (base + fl->off + fl->width > f->blob_end)
		return;
	memcpy(f->buf + base + fl->off, &value, fl->width);
	describe(f, "%s %#llx", fl->name, (unsigned long long)value);
}

static uint64_t some_value(struct elf_file *f, struct rng *r)
{
	const uint64_t values[] = {
		0, 1, 3, 7, 8, 52, 56, 63, 64, 0x1000, 0xffff, 0x10000,
		f->size, f->size - 1, f->size + 1, FILE_MAX, UINT64_MAX,
		UINT64_MAX - 0xfff, 1ULL << 63, 0x7ffffffff000ULL,
		0xffff800000000000ULL, rng_next(r),
	};

	return PICK(r, values);
}

static void mutate_header(struct elf_file *f, struct rng *r)
{
	/* e_entry (24) is never changed: see the top of the file. */
	static const struct field fields[] = {
		{ "EI_CLASS", EI_CLASS, 1 }, { "EI_DATA", EI_DATA, 1 },
		{ "EI_VERSION", EI_VERSION, 1 }, { "e_type", 16, 2 },
		{ "e_machine", 18, 2 }, { "e_version", 20, 4 },
		{ "e_phoff", 32, 8 }, { "e_phoff", 32, 8 },
		{ "e_shoff", 40, 8 }, { "e_ehsize", 52, 2 },
		{ "e_phentsize", 54, 2 }, { "e_phnum", 56, 2 },
		{ "e_phnum", 56, 2 }, { "e_shentsize", 58, 2 },
		{ "e_shnum", 60, 2 }, { "e_shstrndx", 62, 2 },
	};
	const struct field *fl = &PICK(r, fields);

	set_field(f, 0, fl, some_value(f, r));
}

static void mutate_phdr(struct elf_file *f, struct rng *r)
{
	static const struct field fields[] = {
		{ "p_type", 0, 4 }, { "p_flags", 4, 4 }, { "p_offset", 8, 8 },
		{ "p_vaddr", 16, 8 }, { "p_filesz", 32, 8 },
		{ "p_memsz", 40, 8 }, { "p_align", 48, 8 },
	};
	static const uint64_t types[] = {
		PT_NULL, PT_LOAD, PT_DYNAMIC, PT_INTERP, PT_NOTE, PT_PHDR,
		PT_TLS, PT_GNU_STACK, PT_GNU_PROPERTY, 0x6fffffff,
	};
	unsigned int i = rng_below(r, PHDR_SLOTS);
	const struct field *fl = &PICK(r, fields);
	char name[32];
	struct field named = *fl;

	snprintf(name, sizeof(name), "phdr %u %s", i, fl->name);
	named.name = name;
	set_field(f, sizeof(Elf64_Ehdr) + i * sizeof(Elf64_Phdr), &named,
		  fl->off == 0 && one_in(r, 2) ? PICK(r, types) :
		  some_value(f, r));
}

/* Rewrites the headers as ELFCLASS32 (i386, or x32 with EM_X86_64). */
static void to_elf32(struct elf_file *f, struct rng *r)
{
	Elf64_Ehdr e64 = *ehdr(f);
	Elf64_Phdr p64[PHDR_SLOTS];
	Elf32_Ehdr e32 = { 0 };
	bool x32 = one_in(r, 2);
	unsigned int i;

	memcpy(p64, phdr(f, 0), sizeof(p64));
	memcpy(e32.e_ident, e64.e_ident, EI_NIDENT);
	e32.e_ident[EI_CLASS] = ELFCLASS32;
	e32.e_type = e64.e_type;
	e32.e_machine = x32 ? EM_X86_64 : EM_386;
	e32.e_version = EV_CURRENT;
	e32.e_entry = (Elf32_Addr)e64.e_entry;
	e32.e_phoff = sizeof(Elf64_Ehdr);
	e32.e_ehsize = sizeof(Elf32_Ehdr);
	e32.e_phentsize = sizeof(Elf32_Phdr);
	e32.e_phnum = e64.e_phnum;
	memset(f->buf, 0, BLOB_START);
	memcpy(f->buf, &e32, sizeof(e32));
	for (i = 0; i < f->nphdr; i++) {
		Elf32_Phdr p = {
			.p_type = p64[i].p_type,
			.p_offset = (Elf32_Off)p64[i].p_offset,
			.p_vaddr = (Elf32_Addr)p64[i].p_vaddr,
			.p_paddr = (Elf32_Addr)p64[i].p_paddr,
			.p_filesz = (Elf32_Word)p64[i].p_filesz,
			.p_memsz = (Elf32_Word)p64[i].p_memsz,
			.p_flags = p64[i].p_flags,
			.p_align = (Elf32_Word)p64[i].p_align,
		};

		memcpy(f->buf + sizeof(Elf64_Ehdr) + i * sizeof(p), &p,
		       sizeof(p));
	}
	describe(f, "ELFCLASS32, %s", x32 ? "x32" : "i386");
}

static void flip_bytes(struct elf_file *f, struct rng *r)
{
	unsigned int n = 1 + rng_below(r, 4), i;

	for (i = 0; i < n; i++) {
		size_t at = rng_below(r, f->blob_end);

		if (at >= 24 && at < 32)	/* e_entry */
			continue;
		f->buf[at] ^= 1 + rng_below(r, 255);
	}
	describe(f, "%u byte flips", n);
}

static void truncate_file(struct elf_file *f, struct rng *r)
{
	const size_t points[] = {
		0, 4, 5, EI_NIDENT, 52, 63, 64, 64 + 56, 64 + 56 * f->nphdr - 1,
		64 + 56 * f->nphdr, BLOB_START + 1, f->stub, f->stub + 6,
		f->stub + 10, f->size - 1, rng_below(r, f->size),
	};
	size_t size = PICK(r, points);

	if (size < f->size) {
		f->size = size;
		describe(f, "truncated to %zu bytes", size);
	}
}

static void mutate_weak(struct elf_file *f, struct rng *r)
{
	unsigned int n = 1 + rng_below(r, 3), i;

	f->weak = true;
	for (i = 0; i < n; i++) {
		switch (rng_below(r, 9)) {
		case 0:
		case 1:
		case 2:
			mutate_header(f, r);
			break;
		case 3:
		case 4:
		case 5:
			mutate_phdr(f, r);
			break;
		case 6:
			to_elf32(f, r);
			break;
		case 7:
			flip_bytes(f, r);
			break;
		default:
			truncate_file(f, r);
			break;
		}
	}
}

/* File number @index of the run @seed. */
static void generate(struct elf_file *f, uint64_t seed, uint64_t index)
{
	struct rng r = { seed * 0x2545f4914f6cdd1dULL ^ (index + 1) * 0x9e3779b97f4a7c15ULL };
	bool pie = one_in(&r, 4);

	memset(f, 0, sizeof(*f));
	f->blob_end = BLOB_START;
	f->status = 1 + index % 200;
	add_phdr(f, PT_LOAD, PF_R | PF_X);
	add_phdr(f, PT_GNU_STACK, PF_R | PF_W);
	if (pie)
		describe(f, "static-pie");
	add_notes(f, &r);
	if (one_in(&r, 12))
		add_interp(f, &r);
	lay_out(f, pie);
	if (one_in(&r, 3))
		mutate_weak(f, &r);
}

/*
 * The promise at the top of the file, checked on every file before it is
 * run: one page at most, the stub (or the start of it, when truncated)
 * at the end, and the entry point still on it.
 */
static bool only_the_stub_can_run(const struct elf_file *f)
{
	unsigned char stub[STUB_SIZE];
	uint32_t entry;

	if (f->stub + STUB_SIZE > FILE_MAX || f->size > f->stub + STUB_SIZE ||
	    f->entry % FILE_MAX != f->stub)
		return false;
	stub_bytes(stub, f->status);
	if (f->size > f->stub && memcmp(f->buf + f->stub, stub,
					f->size - f->stub))
		return false;
	if (f->size < 24 + sizeof(entry))	/* not even an e_entry */
		return true;
	memcpy(&entry, f->buf + 24, sizeof(entry));
	return entry == (uint32_t)f->entry;
}

/* ---- what docs/marker.md says the kernel does with it ---- */

enum verdict {
	V_NORMAL = KML_NOTE_RUN_NORMAL,
	V_KML = KML_NOTE_RUN_KML,
	V_REFUSE = KML_NOTE_REFUSE,
	V_UNSURE,		/* the rule leaves it open */
};

struct marker_seen {
	uint64_t offset;
	uint32_t descsz;
	struct kml_note note;
};

/*
 * The reader rule of docs/marker.md on a file with sane headers: every
 * PT_NOTE's first p_filesz bytes (at most 4 KiB) at p_offset, a segment
 * that cannot be read whole holding no marker; notes walked with 4-byte
 * alignment (8 if p_align is 8) in the gABI layout, every size checked
 * against the segment end, a note cut short ending the walk. One note
 * seen through two PT_NOTEs counts once; two marker notes at different
 * offsets, identical or not, are refused.
 */
static enum verdict predict(const struct elf_file *f)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)f->buf;
	struct marker_seen seen[16];
	unsigned int nseen = 0, i, j;
	bool unsure = false;

	for (i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(f->buf + eh->e_phoff) + i;
		size_t align = ph->p_align == 8 ? 8 : 4, off = 0, len;
		const unsigned char *seg;

		if (ph->p_type != PT_NOTE || !ph->p_filesz)
			continue;
		len = ph->p_filesz < FILE_MAX ? ph->p_filesz : FILE_MAX;
		if (ph->p_offset > f->size || len > f->size - ph->p_offset)
			continue;	/* cannot be read whole: no marker */
		seg = f->buf + ph->p_offset;
		while (len - off >= sizeof(Elf64_Nhdr)) {
			Elf64_Nhdr nh;
			size_t name, desc, next;

			memcpy(&nh, seg + off, sizeof(nh));
			name = off + sizeof(nh);
			desc = off + note_desc(nh.n_namesz, align);
			if (desc > len || nh.n_descsz > len - desc)
				break;
			next = off + note_next(nh.n_namesz, nh.n_descsz, align);
			if (nh.n_type == NT_KML_MARKER &&
			    nh.n_namesz == KML_NOTE_NAMESZ &&
			    !memcmp(seg + name, KML_NOTE_NAME, KML_NOTE_NAMESZ)) {
				struct marker_seen m = {
					.offset = ph->p_offset + off,
					.descsz = nh.n_descsz,
				};

				/* Padding past the segment: not specified. */
				if (next > len)
					unsure = true;
				memcpy(&m.note, seg + desc,
				       nh.n_descsz < sizeof(m.note) ?
				       nh.n_descsz : sizeof(m.note));
				for (j = 0; j < nseen; j++)
					if (seen[j].offset == m.offset)
						break;
				if (j == nseen && nseen < 16)
					seen[nseen++] = m;
			}
			off = next < len ? next : len;
		}
	}
	if (unsure)
		return V_UNSURE;
	if (!nseen)
		return V_NORMAL;
	if (nseen > 1)
		return V_REFUSE;
	return (enum verdict)kml_note_decide(&seen[0].note, seen[0].descsz);
}

/* ---- running a file ---- */

enum outcome_kind { RAN, EXEC_FAILED, KILLED };

struct outcome {
	enum outcome_kind kind;
	int value;		/* status, errno or signal */
};

static struct outcome run_file(const char *path, bool nobody)
{
	struct outcome o = { KILLED, 0 };
	int pipefd[2], err = 0, status = 0;
	ssize_t n;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return (struct outcome){ EXEC_FAILED, -errno };
	pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)path, NULL }, *envp[] = { NULL };

		close(pipefd[0]);
		alarm(CHILD_ALARM);
		if (nobody && (setgroups(0, NULL) ||
			       setresgid(NOBODY, NOBODY, NOBODY) ||
			       setresuid(NOBODY, NOBODY, NOBODY))) {
			err = -errno;	/* negative: not from execve */
		} else {
			execve(path, argv, envp);
			err = errno;
		}
		if (write(pipefd[1], &err, sizeof(err)) != sizeof(err))
			_exit(126);
		_exit(127);
	}
	close(pipefd[1]);
	if (pid < 0) {
		close(pipefd[0]);
		return (struct outcome){ EXEC_FAILED, -errno };
	}
	n = read(pipefd[0], &err, sizeof(err));
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	if (n == sizeof(err))
		return (struct outcome){ EXEC_FAILED, err };
	if (WIFEXITED(status))
		return (struct outcome){ RAN, WEXITSTATUS(status) };
	o.value = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	return o;
}

/* ---- the run ---- */

struct config {
	uint64_t n, seed, first;
	const char *dir;
	bool no_kml, keep, dry, verbose;
};

static struct config config;

static uint64_t env_number(const char *name, uint64_t fallback)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : fallback;
}

/* Counts by outcome, split by what the rule predicted. */
struct tally {
	unsigned long ran, failed[134], killed[65], other;
	unsigned long started_root;	/* execs by root that got past execve */
};

static void count(struct tally *t, struct outcome o, bool nobody)
{
	if (!nobody && o.kind != EXEC_FAILED)
		t->started_root++;
	if (o.kind == RAN)
		t->ran++;
	else if (o.kind == EXEC_FAILED && o.value > 0 && o.value < 134)
		t->failed[o.value]++;
	else if (o.kind == KILLED && o.value > 0 && o.value < 65)
		t->killed[o.value]++;
	else
		t->other++;
}

static void print_tally(const char *label, const struct tally *t)
{
	char line[1024];
	size_t len;
	int i;

	len = snprintf(line, sizeof(line), "%s: ran %lu", label, t->ran);
	for (i = 1; i < 134 && len < sizeof(line); i++)
		if (t->failed[i])
			len += snprintf(line + len, sizeof(line) - len,
					", %s %lu", strerrorname_np(i) ?: "errno",
					t->failed[i]);
	for (i = 1; i < 65 && len < sizeof(line); i++)
		if (t->killed[i])
			len += snprintf(line + len, sizeof(line) - len,
					", SIG%s %lu", sigabbrev_np(i) ?: "?",
					t->killed[i]);
	if (t->other && len < sizeof(line))
		snprintf(line + len, sizeof(line) - len, ", other %lu",
			 t->other);
	ksft_print_msg("%s\n", line);
}

static const char *const verdict_names[] = {
	[V_NORMAL] = "normal", [V_KML] = "kernel-mode", [V_REFUSE] = "refused",
	[V_UNSURE] = "unpredictable",
};

static const char *outcome_text(struct outcome o, char *buf, size_t len)
{
	if (o.kind == RAN)
		snprintf(buf, len, "ran, status %d", o.value);
	else if (o.kind == EXEC_FAILED)
		snprintf(buf, len, "exec failed, %s",
			 o.value > 0 ? strerrorname_np(o.value) ?: "?" :
				       "in the harness");
	else
		snprintf(buf, len, "killed by SIG%s",
			 sigabbrev_np(o.value) ?: "?");
	return buf;
}

/* The outcome the rule predicts, as a check; NULL when it holds. */
static const char *check_predicted(enum verdict v, bool kml, bool nobody,
				   bool interp, struct outcome o, int status)
{
	bool ran = o.kind == RAN && o.value == status;

	if (interp)	/* the interpreter is opened before kml looks */
		return o.kind == EXEC_FAILED && o.value == ENOENT ? NULL :
		       "expected ENOENT (PT_INTERP to a missing file)";
	if (!kml || v == V_NORMAL)
		return ran ? NULL : "expected it to run (no marker honoured)";
	if (v == V_REFUSE)
		return o.kind == EXEC_FAILED && o.value == ENOEXEC ? NULL :
		       "expected ENOEXEC (marker refused)";
	if (nobody)
		return o.kind == EXEC_FAILED && o.value == EPERM ? NULL :
		       "expected EPERM (enabled marker, not root)";
	return ran ? NULL : "expected it to run at ring 0";
}

/* What holds for every file, whatever it is; NULL when it does. */
static const char *check_always(bool kml, bool nobody, struct outcome o,
				int status)
{
	if (o.kind == RAN && o.value != status)
		return "ran with another status than its own";
	if (o.kind == EXEC_FAILED && o.value <= 0)
		return "the harness failed (fork, pipe or setresuid)";
	if (o.kind == EXEC_FAILED && o.value == EPERM && (!kml || !nobody))
		return "EPERM, which only kml gives and only to non-root";
	if (o.kind == KILLED && o.value != SIGSEGV && o.value != SIGBUS &&
	    o.value != SIGILL && o.value != SIGKILL)
		return o.value == SIGALRM ? "hung (alarm)" :
		       "killed by an unexpected signal";
	return NULL;
}

FIXTURE(exec_fuzz) {
	bool loaded_here;
	bool kml;
	char dir[256];
};

FIXTURE_SETUP(exec_fuzz)
{
	const char *base = config.dir;
	struct statfs fs;
	int ret;

	self->kml = !config.no_kml;
	if (self->kml) {
		ret = kml_ensure_loaded(&self->loaded_here);
		ASSERT_EQ(0, ret) TH_LOG("loading kml.ko: %s", strerror(-ret));
	}
	snprintf(self->dir, sizeof(self->dir), "%s/kml-exec-fuzz.XXXXXX", base);
	ASSERT_NE(NULL, mkdtemp(self->dir)) TH_LOG("mkdtemp in %s: %s", base,
						   strerror(errno));
	/* uid 65534 must reach the files. */
	ASSERT_EQ(0, chmod(self->dir, 0755));
	if (!statfs(self->dir, &fs))
		ksft_print_msg("files in %s (%s)\n", self->dir,
			       fs.f_type == TMPFS_MAGIC ? "tmpfs" : "not tmpfs");
}

FIXTURE_TEARDOWN(exec_fuzz)
{
	if (!config.keep)
		rmdir(self->dir);
	if (self->kml)
		kml_release(self->loaded_here);
}

static int write_file(const char *path, const struct elf_file *f)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	int ok;

	if (fd < 0)
		return -errno;
	ok = write(fd, f->buf, f->size) == (ssize_t)f->size &&
	     !fchmod(fd, 0755);
	close(fd);
	return ok ? 0 : -EIO;
}

TEST_F_TIMEOUT(exec_fuzz, files, 600)
{
	static struct tally all, predicted, weak;
	static struct elf_file f;
	static const char *const counters[] = {
		"ring0_execs", "refused_eperm", "refused_enoexec",
	};
	unsigned long failures = 0, ring0_expected = 0, eperm_seen = 0;
	unsigned long verdicts[V_UNSURE + 2] = { 0 };
	unsigned long enoexec_expected = 0, enoexec_seen = 0;
	long before[3], after[3];
	struct timespec t0, t1;
	double seconds;
	uint64_t i;
	int k;

	for (k = 0; k < 3; k++)
		before[k] = self->kml ? kml_sysfs_number(counters[k]) : -1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = config.first; i < config.first + config.n; i++) {
		bool nobody = i % 2;
		enum verdict v = V_UNSURE;
		const char *wrong;
		struct outcome o;
		char path[300], text[64];

		generate(&f, config.seed, i);
		ASSERT_TRUE(only_the_stub_can_run(&f))
			TH_LOG("file %llu breaks the layout: %s",
			       (unsigned long long)i, f.what);
		snprintf(path, sizeof(path), "%s/f%llu", self->dir,
			 (unsigned long long)i);
		ASSERT_EQ(0, write_file(path, &f)) TH_LOG("writing %s", path);
		if (!f.weak)
			v = predict(&f);
		if (v != V_UNSURE)
			verdicts[f.interp ? V_UNSURE + 1 : v]++;
		if (config.dry) {	/* generation only: count what was made */
			if (config.verbose)
				ksft_print_msg("file %llu: %s: %s\n",
					       (unsigned long long)i,
					       verdict_names[v], f.what);
			o = (struct outcome){ RAN, f.status };
			count(&all, o, nobody);
			count(v == V_UNSURE ? &weak : &predicted, o, nobody);
			if (!config.keep)
				unlink(path);
			continue;
		}
		o = run_file(path, nobody);
		count(&all, o, nobody);
		wrong = check_always(self->kml, nobody, o, f.status);
		if (v != V_UNSURE) {
			count(&predicted, o, nobody);
			wrong = wrong ?: check_predicted(v, self->kml, nobody,
							 f.interp, o, f.status);
			if (self->kml && v == V_KML && !nobody && !f.interp)
				ring0_expected++;
			if (self->kml && v == V_REFUSE && !f.interp)
				enoexec_expected++;
		} else {
			count(&weak, o, nobody);
		}
		if (o.kind == EXEC_FAILED && o.value == EPERM)
			eperm_seen++;
		if (o.kind == EXEC_FAILED && o.value == ENOEXEC)
			enoexec_seen++;
		if (config.verbose)
			ksft_print_msg("file %llu: %s: %s: %s\n",
				       (unsigned long long)i, verdict_names[v],
				       outcome_text(o, text, sizeof(text)),
				       f.what);
		if (wrong && failures++ < MAX_REPORTS)
			TH_LOG("file %llu (seed %llu, %s, exit stub %d): %s: %s; it was: %s",
			       (unsigned long long)i,
			       (unsigned long long)config.seed,
			       nobody ? "uid 65534" : "root", f.status,
			       outcome_text(o, text, sizeof(text)), wrong,
			       f.what);
		if (!config.keep)
			unlink(path);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	ksft_print_msg("%llu files (seed %llu, first %llu) in %.1f s: %.0f execs/s%s\n",
		       (unsigned long long)config.n,
		       (unsigned long long)config.seed,
		       (unsigned long long)config.first, seconds,
		       seconds > 0 ? config.n / seconds : 0.0,
		       self->kml ? "" : " (no kml: markers not honoured)");
	print_tally("all", &all);
	ksft_print_msg("rule: normal %lu, kernel-mode %lu, refused %lu, PT_INTERP %lu\n",
		       verdicts[V_NORMAL], verdicts[V_KML], verdicts[V_REFUSE],
		       verdicts[V_UNSURE + 1]);
	print_tally("predicted by the marker rule", &predicted);
	print_tally("not predictable (mangled headers, class, truncation)", &weak);
	if (self->kml) {
		for (k = 0; k < 3; k++)
			after[k] = kml_sysfs_number(counters[k]);
		ksft_print_msg("kml: ring0_execs +%ld, refused_eperm +%ld, refused_enoexec +%ld\n",
			       after[0] - before[0], after[1] - before[1],
			       after[2] - before[2]);
		/*
		 * Every predicted ring-0 exec counted, and nothing but root's
		 * execs that got past execve (none by uid 65534).
		 */
		EXPECT_LE((long)ring0_expected, after[0] - before[0]);
		EXPECT_GE((long)all.started_root, after[0] - before[0]);
		/* EPERM comes from kml only, and kml counts each. */
		EXPECT_EQ((long)eperm_seen, after[1] - before[1]);
		EXPECT_LE((long)enoexec_expected, after[2] - before[2]);
		EXPECT_GE((long)enoexec_seen, after[2] - before[2]);
	}
	EXPECT_EQ(0UL, failures);
}

int main(int argc, char **argv)
{
	config.n = env_number("KML_EXEC_FUZZ_N", EXEC_FUZZ_N_DEFAULT);
	config.seed = env_number("KML_EXEC_FUZZ_SEED", 1);
	config.first = env_number("KML_EXEC_FUZZ_FIRST", 0);
	config.no_kml = env_number("KML_EXEC_FUZZ_NO_KML", 0);
	config.keep = env_number("KML_EXEC_FUZZ_KEEP", 0);
	config.dry = env_number("KML_EXEC_FUZZ_DRY", 0);
	config.verbose = env_number("KML_EXEC_FUZZ_VERBOSE", 0);
	config.dir = getenv("KML_EXEC_FUZZ_DIR") ?: getenv("TMPDIR") ?: "/tmp";
	/* exec_fuzz [N [SEED]] [harness options] */
	if (argc > 1 && argv[1][0] != '-') {
		config.n = strtoull(argv[1], NULL, 0);
		if (argc > 2 && argv[2][0] != '-')
			config.seed = strtoull(argv[2], NULL, 0);
	}
	/* Generous: a debug kernel under TCG does some tens of execs/s. */
	_exec_fuzz_files_object->timeout = 120 + config.n / 5;
	return test_harness_run(argc, argv);
}
