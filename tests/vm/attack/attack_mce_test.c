// SPDX-License-Identifier: GPL-2.0
/*
 * Finding 6, machine checks: an uncorrected error consumed by a program at
 * CPL 3 kills that program with SIGBUS and the machine goes on. A ring-0
 * program's own code runs at CPL 0, and the MCE handler took an error
 * there for the kernel's: it panicked the machine. It must do what it does
 * at CPL 3.
 *
 * Only the machine raises machine checks, so the program asks the host:
 * with interrupts off, pinned to one CPU, it writes a KML-HOST-REQUEST line
 * to the serial console itself (port I/O, no system call), and kml-vmrun
 * (run with --qemu-monitor, as make check does) types QEMU's "mce" monitor
 * command (tests/runner/host_request.hpp) for that CPU. Nothing but the
 * program's own code can run there until the #MC arrives. The error
 * leaves no restart IP: in a user process the kernel kills the task that
 * took it (SIGBUS, SI_KERNEL); in the kernel it panics ("In kernel and no
 * restart IP").
 *
 * It needs Intel's machine check architecture: make check boots it on
 * `-cpu max,vendor=GenuineIntel`. QEMU's TCG CPU is otherwise an AMD one
 * without MCA recovery (SUCCOR), on which the kernel panics on every
 * uncorrected error, at CPL 3 too; there the test skips rather than take
 * the machine down. Before the fix, the ring-0 program's error was the
 * kernel's, and the machine panicked. make check boots this test on one
 * CPU: the request goes to the CPU the program is pinned to, and no
 * other CPU has to join Intel's broadcast rendezvous, which QEMU's mce
 * command (without -b) would leave waiting.
 *
 * A ring-3 twin is not run: at CPL 3 interrupts stay on, and an error that
 * lands while the kernel handles one is the kernel's and rightly panics.
 * A machine check taints the kernel ('M'); the fixture expects exactly that
 * taint and no other.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "attack.h"

#define TAINT_MACHINE_CHECK (1LL << 4)
/* How long the program waits for the error, with interrupts off. */
#define MCE_WAIT_MS "3000"
/*
 * Bank 1: a signalled uncorrected error (VAL|UC|EN|S, no address) with
 * MCG_STATUS MCIP|EIPV: no restart IP, the interrupted code cannot go on.
 * In user context the kernel kills the task (kill_me_now()); in kernel
 * context it panics ("In kernel and no restart IP").
 */
#define MCE_ERROR "1 0xb100000000000000 0x6 0 0"
#define SI_KERNEL_CODE 0x80UL

ATTACK_FIXTURE_TAINT(mce, TAINT_MACHINE_CHECK);

/* Intel's machine check architecture (the CPU vendor), see above. */
static bool intel_mca(void)
{
	char line[256];
	bool intel = false;
	FILE *f = fopen("/proc/cpuinfo", "re");

	if (!f)
		return false;
	while (!intel && fgets(line, sizeof(line), f))
		intel = !strncmp(line, "vendor_id", 9) && strstr(line, "GenuineIntel");
	fclose(f);
	return intel;
}

/* In a test body: the ring-0 payload and Intel's rules for machine checks. */
#define REQUIRE_MCE_SETUP() do {					\
	REQUIRE_ATTACK_FORM(&self->env, ATTACK_RING0, 0);		\
	if (!intel_mca())						\
		SKIP(return, "not Intel's machine check architecture: the kernel " \
		     "would panic on any uncorrected error (boot with CPU=%s)", \
		     "max,vendor=GenuineIntel");			\
} while (0)

/*
 * Runs "mce-wait" at CPL 0 pinned to @cpu (with a SIGBUS handler if
 * @catch): it asks the host for the machine check itself once its
 * interrupts are off. Leaves the finished program in @c. False (the test
 * skipped) if no machine check came outside make check.
 */
static bool machine_check_in_ring0_code(struct __test_metadata *_metadata,
					struct child *c, int cpu, bool catch)
{
	struct spawn_opts opts = SPAWN_DEFAULTS;
	char request[96];
	const char *args[] = { "mce-wait", MCE_WAIT_MS, request,
			       catch ? "catch" : NULL, NULL };

	snprintf(request, sizeof(request), "mce %d " MCE_ERROR, cpu);
	opts.cpu = cpu;
	ASSERT_EQ(0, child_spawn(c, ATTACK_RING0, args, &opts));
	ASSERT_EQ(0, child_finish(c, PAYLOAD_TIMEOUT_MS)) TH_LOG("%s", c->output);
	if (child_said(c, "no machine check")) {
		TH_LOG("the host raised no machine check: run under kml-vmrun --qemu-monitor");
		ASSERT_FALSE(ring0_required());
		SKIP(return false, "no machine check from the host");
	}
	EXPECT_TRUE(kernel_tainted() & TAINT_MACHINE_CHECK)
		TH_LOG("no machine check was handled");
	return true;
}

/* The machine is fine afterwards: ring-0 and ring-3 programs run on that CPU. */
static void expect_cpu_still_works(struct __test_metadata *_metadata, int cpu)
{
	struct spawn_opts opts = SPAWN_DEFAULTS;
	const char *form[] = { ATTACK_RING0, ATTACK_RING3 };
	const char *want[] = { "cpl=0", "cpl=3" };
	struct child c;
	int i;

	opts.cpu = cpu;
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, child_spawn(&c, form[i], (const char *[]){ "cpl", NULL }, &opts));
		ASSERT_EQ(0, child_finish(&c, PAYLOAD_TIMEOUT_MS));
		EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s: %s", form[i], c.output);
		EXPECT_TRUE(child_said(&c, want[i])) TH_LOG("%s: %s", form[i], c.output);
	}
}

TEST_F_TIMEOUT(mce, error_in_ring0_code_kills_the_program_not_the_machine, 120)
{
	int cpu = some_cpu();
	struct child c;

	REQUIRE_MCE_SETUP();
	if (!machine_check_in_ring0_code(_metadata, &c, cpu, false))
		return;
	EXPECT_TRUE(died_of(&c, SIGBUS)) TH_LOG("exit %d: %s", child_exit(&c), c.output);
	expect_cpu_still_works(_metadata, cpu);
}

TEST_F_TIMEOUT(mce, ring0_program_can_catch_the_sigbus_as_at_ring3, 120)
{
	unsigned long code = 0;
	int cpu = some_cpu();
	struct child c;

	REQUIRE_MCE_SETUP();
	if (!machine_check_in_ring0_code(_metadata, &c, cpu, true))
		return;
	EXPECT_EQ(0, child_exit(&c)) TH_LOG("%s", c.output);
	EXPECT_TRUE(output_value(&c, "sigbus code", &code)) TH_LOG("%s", c.output);
	EXPECT_EQ(SI_KERNEL_CODE, code);
	expect_cpu_still_works(_metadata, cpu);
}

TEST_HARNESS_MAIN
