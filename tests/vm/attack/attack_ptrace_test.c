// SPDX-License-Identifier: GPL-2.0
/*
 * Findings 7 and 8: root tracing a ring-0 task, and exec under ptrace.
 *
 * A ring-0 tracee's registers hold the kernel selectors, which the stock
 * register setters refuse (RPL 0): a debugger could read registers but
 * not write them back. Its rip may be set only to what its code could
 * jump to without taking the kernel with it: a kernel-half or
 * non-canonical rip must be refused or end in SIGSEGV. Single-stepping
 * must work across the direct entry (the old kernel single-stepped
 * itself and warned), and a tracer editing system calls at
 * PTRACE_SYSCALL stops must get the same effect as on a ring-3 tracee.
 *
 * A traced process must not exec a marked program into ring 0 (its
 * tracer would own a CPL-0 task from its first instruction): the exec
 * either runs the program at CPL 3 or fails with EPERM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "attack.h"

#define REG(name) offsetof(struct user_regs_struct, name)

ATTACK_FIXTURE(tracer);

/* The ring-0 payload waiting on stdin, seized and stopped. */
static void stopped_ring0_task(struct __test_metadata *_metadata, struct child *c)
{
	int ret;

	ASSERT_EQ(0, spawn_ready(c, ATTACK_RING0, (const char *[]){ "wait", NULL }, -1))
		TH_LOG("%s", c->output);
	ASSERT_TRUE(child_said(c, "cpl=0")) TH_LOG("%s", c->output);
	ret = seize_and_stop(c->pid, 0);
	ASSERT_EQ(0, ret) TH_LOG("seize: %s", strerror(-ret));
}

/* Detaches and lets it run to its end; it must still be at CPL 0. */
static void expect_goes_on_at_cpl0(struct __test_metadata *_metadata, struct child *c)
{
	ASSERT_EQ(0, ptrace(PTRACE_DETACH, c->pid, 0, 0));
	ASSERT_EQ(0, child_finish(c, PAYLOAD_TIMEOUT_MS));
	EXPECT_EQ(0, child_exit(c)) TH_LOG("%s", c->output);
	EXPECT_TRUE(child_said(c, "after cpl=0 data=0x1111111111111111 text=0xc3"))
		TH_LOG("%s", c->output);
}

TEST_F(tracer, setregs_takes_back_the_registers_getregs_gave)
{
	struct user_regs_struct regs;
	struct child c;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	stopped_ring0_task(_metadata, &c);
	ASSERT_EQ(0, ptrace(PTRACE_GETREGS, c.pid, 0, &regs));
	EXPECT_EQ(KERNEL_CS, regs.cs);
	EXPECT_EQ(KERNEL_DS, regs.ss);
	EXPECT_EQ(0, ptrace(PTRACE_SETREGS, c.pid, 0, &regs))
		TH_LOG("SETREGS: %s", strerror(errno));
	expect_goes_on_at_cpl0(_metadata, &c);
}

/*
 * POKEUSER of @rip: refused with EIO (the tracee then goes on), or taken,
 * and then the tracee dies of SIGSEGV when it resumes.
 */
static void expect_rip_refused_or_sigsegv(struct __test_metadata *_metadata, unsigned long rip)
{
	struct child c;
	long ret;

	stopped_ring0_task(_metadata, &c);
	errno = 0;
	ret = ptrace(PTRACE_POKEUSER, c.pid, REG(rip), (void *)rip);
	if (ret) {
		EXPECT_EQ(EIO, errno) TH_LOG("POKEUSER rip: %s", strerror(errno));
		expect_goes_on_at_cpl0(_metadata, &c);
		return;
	}
	ASSERT_EQ(0, ptrace(PTRACE_DETACH, c.pid, 0, 0));
	ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));
	EXPECT_TRUE(died_of(&c, SIGSEGV)) TH_LOG("status %d: %s", child_exit(&c), c.output);
}

TEST_F(tracer, pokeuser_rip_to_a_kernel_half_address_is_refused_or_sigsegv)
{
	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	expect_rip_refused_or_sigsegv(_metadata, 0xffff800000001000UL);
}

TEST_F(tracer, pokeuser_rip_to_a_noncanonical_address_is_refused_or_sigsegv)
{
	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	expect_rip_refused_or_sigsegv(_metadata, 0x8000000000000000UL);
}

/* At least this many steps, and at least one from the jump into the entry. */
#define MIN_STEPS 20
#define MAX_STEPS 2000

TEST_F(tracer, singlestep_through_direct_entry_calls_stops_with_sigtrap_every_time)
{
	unsigned long jump = 0, rip;
	int steps, jumps = 0, status, ret;
	struct child c;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	ASSERT_EQ(0, spawn_ready(&c, ATTACK_RING0, (const char *[]){ "entry-loop", NULL }, -1))
		TH_LOG("%s", c.output);
	ASSERT_TRUE(output_value(&c, "jump", &jump)) TH_LOG("%s", c.output);
	ret = seize_and_stop(c.pid, 0);
	ASSERT_EQ(0, ret) TH_LOG("seize: %s", strerror(-ret));

	for (steps = 0; steps < MAX_STEPS && (steps < MIN_STEPS || !jumps); steps++) {
		errno = 0;
		rip = ptrace(PTRACE_PEEKUSER, c.pid, REG(rip), 0);
		ASSERT_EQ(0, errno);
		jumps += rip == jump;
		ASSERT_EQ(0, ptrace(PTRACE_SINGLESTEP, c.pid, 0, 0));
		ASSERT_EQ(c.pid, waitpid(c.pid, &status, 0));
		ASSERT_TRUE(WIFSTOPPED(status)) TH_LOG("step %d from 0x%lx: status 0x%x",
						       steps, rip, status);
		ASSERT_EQ(SIGTRAP, WSTOPSIG(status)) TH_LOG("step %d from 0x%lx: signal %d",
							     steps, rip, WSTOPSIG(status));
	}
	EXPECT_LT(0, jumps) TH_LOG("%d steps never reached the jump at 0x%lx", steps, jump);

	ASSERT_EQ(0, ptrace(PTRACE_DETACH, c.pid, 0, 0));
	ASSERT_EQ(0, child_signal(&c, SIGUSR1));
	ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));
	EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
	EXPECT_TRUE(child_said(&c, "entry-loop: ok")) TH_LOG("%s", c.output);
}

ATTACK_FIXTURE(syscall_edit);

/* What a tracer does at PTRACE_SYSCALL stops (one edit per run). */
enum edit {
	EDIT_NR,	/* getppid becomes getpid (orig_rax at entry) */
	EDIT_ARG,	/* write(9, "abc\ndef\n", 8) writes 4 (rdx at entry) */
	EDIT_RET,	/* getuid returns 4242 (rax at exit) */
	EDIT_SKIP,	/* getgid is skipped: orig_rax -1, rax 1234 at entry */
};

static int poke_reg(pid_t pid, size_t reg, unsigned long value)
{
	return ptrace(PTRACE_POKEUSER, pid, reg, (void *)value) ? -errno : 0;
}

/* One syscall stop: applies @edit where it belongs. */
static int edit_stop(pid_t pid, enum edit edit, long *nr)
{
	struct __ptrace_syscall_info info;
	bool entry;

	if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info), &info) <= 0)
		return -errno;
	entry = info.op == PTRACE_SYSCALL_INFO_ENTRY;
	if (entry)
		*nr = info.entry.nr;
	else if (info.op != PTRACE_SYSCALL_INFO_EXIT)
		return 0;

	if (edit == EDIT_NR && entry && *nr == SYS_getppid)
		return poke_reg(pid, REG(orig_rax), SYS_getpid);
	if (edit == EDIT_ARG && entry && *nr == SYS_write && info.entry.args[0] == 9)
		return poke_reg(pid, REG(rdx), 4);
	if (edit == EDIT_RET && !entry && *nr == SYS_getuid)
		return poke_reg(pid, REG(rax), 4242);
	if (edit == EDIT_SKIP && entry && *nr == SYS_getgid) {
		int ret = poke_reg(pid, REG(orig_rax), -1UL);

		return ret ? ret : poke_reg(pid, REG(rax), 1234);
	}
	return 0;
}

/*
 * Runs "syscall-experiments" in @payload, which must run at @cpl, under a
 * tracer that applies @edit; copies its transcript without the first
 * (cpl=N) line into @out.
 */
static void run_edited(struct __test_metadata *_metadata, const char *payload, int cpl,
		       enum edit edit, char *out, size_t size)
{
	char ring[16];
	long nr = -1;
	struct child c;
	int status, sig, ret;

	ASSERT_EQ(0, spawn_ready(&c, payload, (const char *[]){ "syscall-experiments", NULL }, -1))
		TH_LOG("%s", c.output);
	ret = seize_and_stop(c.pid, PTRACE_O_TRACESYSGOOD);
	ASSERT_EQ(0, ret) TH_LOG("seize: %s", strerror(-ret));
	ASSERT_EQ(1, write(c.in, "x", 1));
	ASSERT_EQ(0, ptrace(PTRACE_SYSCALL, c.pid, 0, 0));
	for (;;) {
		siginfo_t si = { 0 };

		ASSERT_EQ(0, waitid(P_PID, c.pid, &si, WEXITED | WSTOPPED | WNOWAIT));
		if (si.si_code != CLD_TRAPPED && si.si_code != CLD_STOPPED)
			break;
		ASSERT_EQ(c.pid, waitpid(c.pid, &status, 0));
		sig = WSTOPSIG(status);
		if (sig == (SIGTRAP | 0x80)) {
			ret = edit_stop(c.pid, edit, &nr);
			ASSERT_EQ(0, ret) TH_LOG("at a stop of syscall %ld: %s", nr, strerror(-ret));
			sig = 0;
		} else if (status >> 16) {
			sig = 0;	/* PTRACE_EVENT_STOP */
		}
		ASSERT_EQ(0, ptrace(PTRACE_SYSCALL, c.pid, 0, (void *)(long)sig));
	}
	ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));
	EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
	snprintf(ring, sizeof(ring), "cpl=%d\n", cpl);
	ASSERT_EQ(0, strncmp(c.output, ring, strlen(ring))) TH_LOG("%s", c.output);
	snprintf(out, size, "%s", c.output + strlen(ring));
}

/*
 * The ring-0 tracee (direct entry) sees what the ring-3 tracee (syscall
 * instruction) sees, and that is what the edit asked for. The
 * experiments run as root: getuid and getgid answer 0 when left alone.
 */
static void expect_edit_as_at_ring3(struct __test_metadata *_metadata, struct attack_env *env,
				    enum edit edit)
{
	char want[256], ring3[RUN_OUT_MAX], ring0[RUN_OUT_MAX];

	REQUIRE_ATTACK_FORM(env, ATTACK_RING0, 0);
	REQUIRE_ATTACK_FORM(env, ATTACK_RING3, 3);
	snprintf(want, sizeof(want), "ready\na: %s\n%sb: ret=%d\nc: ret=%d\nd: ret=%d\ndone\n",
		 edit == EDIT_NR ? "getpid" : "getppid",
		 edit == EDIT_ARG ? "abc\n" : "abc\ndef\n",
		 edit == EDIT_ARG ? 4 : 8,
		 edit == EDIT_RET ? 4242 : 0,
		 edit == EDIT_SKIP ? 1234 : 0);
	run_edited(_metadata, ATTACK_RING3, 3, edit, ring3, sizeof(ring3));
	EXPECT_STREQ(want, ring3);
	run_edited(_metadata, ATTACK_RING0, 0, edit, ring0, sizeof(ring0));
	EXPECT_STREQ(ring3, ring0);
}

TEST_F(syscall_edit, changing_orig_rax_at_entry_runs_the_other_call)
{
	expect_edit_as_at_ring3(_metadata, &self->env, EDIT_NR);
}

TEST_F(syscall_edit, changing_an_argument_at_entry_changes_the_call)
{
	expect_edit_as_at_ring3(_metadata, &self->env, EDIT_ARG);
}

TEST_F(syscall_edit, changing_rax_at_exit_changes_what_the_tracee_gets)
{
	expect_edit_as_at_ring3(_metadata, &self->env, EDIT_RET);
}

TEST_F(syscall_edit, orig_rax_minus_1_at_entry_skips_the_call_and_returns_rax)
{
	expect_edit_as_at_ring3(_metadata, &self->env, EDIT_SKIP);
}

ATTACK_FIXTURE(traced_exec);

FIXTURE_VARIANT(traced_exec) {
	const char *mode;	/* what the ring-3 payload does before its exec */
	enum __ptrace_request attach;	/* how the tracer gets it, 0: PTRACE_TRACEME */
};

FIXTURE_VARIANT_ADD(traced_exec, traceme) {
	.mode = "traceme-exec",
};
FIXTURE_VARIANT_ADD(traced_exec, attach_then_exec) {
	.mode = "exec-after-stdin", .attach = PTRACE_ATTACH,
};
FIXTURE_VARIANT_ADD(traced_exec, seize_then_exec) {
	.mode = "exec-after-stdin", .attach = PTRACE_SEIZE,
};

/*
 * A ring-3 process, traced by root, execs the marked payload's cpl probe:
 * it prints cpl=3, or the exec fails with EPERM (the payload prints
 * "exec errno=1" and exits 3).
 */
TEST_F(traced_exec, marked_program_runs_at_cpl3_or_exec_is_eperm)
{
	const char *args[] = { variant->mode, ATTACK_RING0, "cpl", NULL };
	const char *before;
	char want[64];
	struct child c;
	int ret;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING3, 3);
	if (variant->attach) {
		ASSERT_EQ(0, spawn_ready(&c, ATTACK_RING3, args, -1)) TH_LOG("%s", c.output);
		ASSERT_EQ(0, ptrace(variant->attach, c.pid, 0, 0)) TH_LOG("%s", strerror(errno));
		ASSERT_EQ(1, write(c.in, "x", 1));
	} else {
		ASSERT_EQ(0, child_spawn(&c, ATTACK_RING3, args, NULL));
	}
	ret = trace_until_exit(c.pid);
	ASSERT_EQ(0, ret) TH_LOG("tracing: %s", strerror(-ret));
	ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));

	EXPECT_FALSE(child_said(&c, "cpl=0")) TH_LOG("a traced exec reached ring 0");
	before = variant->attach ? "cpl=3\nready\n" : "cpl=3\n";
	if (child_exit(&c) == 3) {
		TH_LOG("the exec was refused");
		snprintf(want, sizeof(want), "%sexec errno=%d\n", before, EPERM);
	} else {
		TH_LOG("the program ran at CPL 3");
		EXPECT_EQ(0, child_exit(&c));
		snprintf(want, sizeof(want), "%scpl=3\n", before);
	}
	EXPECT_STREQ(want, c.output);
}

/*
 * The same for a seccomp user-notification listener: whoever holds it
 * answers the program's system calls, so an exec under a filter with a
 * listener runs at CPL 3 (or is refused), while a filter whose listener
 * was closed changes nothing (patch 0020).
 */
ATTACK_FIXTURE(listener_exec);

FIXTURE_VARIANT(listener_exec) {
	const char *listener;	/* "keep" or "close" */
	int cpl;		/* where the marked program must run */
};

FIXTURE_VARIANT_ADD(listener_exec, kept_open) {
	.listener = "keep", .cpl = 3,
};
FIXTURE_VARIANT_ADD(listener_exec, closed_first) {
	.listener = "close", .cpl = 0,
};

TEST_F(listener_exec, marked_program_runs_at_cpl3_only_while_a_listener_exists)
{
	const char *args[] = { "listener-exec", variant->listener, ATTACK_RING0, "cpl", NULL };
	char want[64];
	struct child c;

	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);
	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING3, 3);
	ASSERT_EQ(0, payload_run(&c, ATTACK_RING3, args));
	if (variant->cpl == 3 && child_exit(&c) == 3) {
		TH_LOG("the exec was refused");
		snprintf(want, sizeof(want), "cpl=3\nlistener=keep\nexec errno=%d\n", EPERM);
	} else {
		EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
		snprintf(want, sizeof(want), "cpl=3\nlistener=%s\ncpl=%d\n", variant->listener,
			 variant->cpl);
	}
	EXPECT_STREQ(want, c.output);
}

TEST_HARNESS_MAIN
