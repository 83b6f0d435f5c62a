/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attack payload: one static multi-call program whose first argument
 * names the attack ("flags df direct", "bad-return 0x8000000000000000",
 * ...). The tests exec it in four forms, all from one build:
 *
 *   attack-payload            marker enabled: CPL 0, the direct entry
 *   attack-payload.bypass     marker enabled with the bypass flag: CPL 0,
 *                             AT_KML_ENTRY is the bypass entry
 *   attack-payload.disabled   marker disabled: CPL 3 (the reference)
 *   attack-payload.unmarked   no marker: CPL 3
 *
 * Every mode prints "cpl=N" first, then one fact per line. Exit status: 0
 * when the mode ran to its end and every check held, 1 when a check failed
 * (the line before says which), 2 for a usage error, 3 when the mode needs
 * the direct entry and the program was not given one (or an exec failed),
 * 4 when the CPU lacks what the mode tests (SMAP).
 */
#ifndef ATTACK_PAYLOAD_H
#define ATTACK_PAYLOAD_H

#include <stdbool.h>

#include <linux/kml_abi.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))


/* RFLAGS bits. */
#define FLAG_CF 0x0001UL
#define FLAG_PF 0x0004UL
#define FLAG_AF 0x0010UL
#define FLAG_ZF 0x0040UL
#define FLAG_SF 0x0080UL
#define FLAG_TF 0x0100UL
#define FLAG_DF 0x0400UL
#define FLAG_OF 0x0800UL
#define FLAG_IOPL3 0x3000UL
#define FLAG_NT 0x4000UL
#define FLAG_RF 0x10000UL
#define FLAG_AC 0x40000UL
/* What the bypass entry may clobber: the status flags. */
#define FLAGS_STATUS (FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | FLAG_OF)

/* One mode: name, one-line usage, entry point (argc/argv after the name). */
struct mode {
	const char *name;
	const char *usage;
	int (*run)(int argc, char **argv);
};

/* NULL-terminated tables, one per source file. */
extern const struct mode task_modes[];
extern const struct mode flag_modes[];
extern const struct mode escape_modes[];
extern const struct mode fuzz_modes[];

/* AT_KML_ENTRY as the kernel gave it, 0 if it did not. */
extern unsigned long kml_entry;

/* The ring the caller runs at: the low two bits of %cs. */
static inline int current_cpl(void)
{
	unsigned short cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	return cs & 3;
}

static inline unsigned long flags_now(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; pop %0" : "=r"(flags));
	return flags;
}

/*
 * One line on stdout with a single write(2): unbuffered, so lines keep
 * their order across fork and exec. Not for signal handlers.
 */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* say() then exit(1). */
void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Parses an unsigned number (0x... for hex) or exits 2. */
unsigned long arg_ulong(const char *s, const char *what);
/* Exits 3 unless the kernel gave this program a direct entry. */
void need_entry(void);

/*
 * A system call through AT_KML_ENTRY, as `kml rewrite` makes one: a jump
 * with the return address in %rcx and a jump back into the sequence in
 * the two bytes before it, for restarts.
 */
long entry_call(long nr, long a0, long a1, long a2);
/* The jump into the kernel in entry_call(). */
extern const char entry_jump[];
/* Through the entry when there is one, else the syscall instruction. */
long any_call(long nr, long a0, long a1, long a2);

/* execv() of FILE next to this program with ARGS; prints errno and exits 3 if it fails. */
void __attribute__((noreturn)) exec_sibling(int argc, char **argv);

/* Whether the CPU has SMAP (CPUID.7.0:EBX bit 20): clac and stac exist. */
bool cpu_has_smap(void);

#endif
