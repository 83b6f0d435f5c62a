/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ring-0 test payload: one static multi-call program whose first
 * argument names what it does ("cpl", "syscall write", "fault null"...).
 * The test programs exec it in three forms, all from the same build:
 *
 *   ring0-payload            KML marker, enabled: runs at CPL 0
 *   ring0-payload.disabled   KML marker, disabled: runs at CPL 3
 *   ring0-payload.unmarked   no marker at all: runs at CPL 3
 *
 * and ring0-payload-redzone{,.disabled}, the same sources built without
 * -mno-red-zone. Every mode reports on stdout, one fact per line, in a
 * form that does not depend on the ring it ran at except for the lines
 * that name the ring ("cpl=0"), so the tests can hold both runs to one
 * expected transcript.
 *
 * Exit status: 0 when the mode ran to its end, 1 when it found a fault
 * in what it checked (the line before says what), 2 for a usage error.
 */
#ifndef RING0_PAYLOAD_H
#define RING0_PAYLOAD_H

#include <signal.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* One mode: name, one-line help, entry point (argc/argv after the name). */
struct payload_mode {
	const char *name;
	const char *usage;
	int (*run)(int argc, char **argv);
};

/* Each payload source file exports a NULL-terminated table. */
extern const struct payload_mode cpl_modes[];
extern const struct payload_mode syscall_modes[];
extern const struct payload_mode signal_modes[];
extern const struct payload_mode fault_modes[];
extern const struct payload_mode memory_modes[];
extern const struct payload_mode task_modes[];
extern const struct payload_mode fpu_modes[];
extern const struct payload_mode stress_modes[];
extern const struct payload_mode escape_modes[];

/* The privilege level the caller runs at: the low two bits of %cs. */
static inline int current_cpl(void)
{
	unsigned short cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	return cs & 3;
}

/*
 * Writes one formatted line to stdout with a single write(2): unbuffered,
 * so lines keep their order across fork and exec, and async-signal-safe
 * as long as the format has only %d, %u, %ld, %lu, %lx, %s and %p.
 */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* say() then exit(1): a check inside the payload failed. */
void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Parses a decimal argument or fails with a usage error. */
long arg_long(const char *s, const char *what);

/* Monotonic time in milliseconds, through the vDSO as applications do. */
int64_t now_ms(void);

/* Installs handler for sig with sigaction flags; fails the payload on error. */
void on_signal(int sig, void (*handler)(int, siginfo_t *, void *), int flags);

/* The directory this program was started from (for sibling payloads). */
const char *self_dir(void);

#endif
