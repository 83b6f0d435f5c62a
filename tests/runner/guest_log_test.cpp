#include "guest_log.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string_view>

namespace kml::vmrun {
namespace {

GuestLog feed(std::vector<std::string> expected,
              std::initializer_list<std::string_view> lines) {
  GuestLog log(std::move(expected));
  for (const auto line : lines) {
    log.addLine(line);
  }
  return log;
}

TEST(GuestLog, CleanRunPasses) {
  const auto log = feed({"t"}, {"KML-RUN-BEGIN", "KML-TEST-BEGIN t", "1..2",
                                "ok 1 a", "ok 2 b # SKIP no cpu",
                                "KML-TEST-END t exit=0", "KML-RUN-END"});
  EXPECT_TRUE(log.problems().empty());
  EXPECT_EQ(log.passedCount(), 2);
  EXPECT_EQ(log.failedCount(), 0);
}

TEST(GuestLog, FailedCaseFailsAndIsCounted) {
  const auto log =
      feed({"t"}, {"KML-RUN-BEGIN", "KML-TEST-BEGIN t", "1..2", "ok 1 a",
                   "not ok 2 b", "KML-TEST-END t exit=1", "KML-RUN-END"});
  ASSERT_FALSE(log.problems().empty());
  EXPECT_EQ(log.passedCount(), 1);
  EXPECT_EQ(log.failedCount(), 1);
}

TEST(GuestLog, CasesMissingFromThePlanCountAsFailures) {
  const auto log =
      feed({"t"}, {"KML-RUN-BEGIN", "KML-TEST-BEGIN t", "1..3", "ok 1 a",
                   "KML-TEST-END t exit=0", "KML-RUN-END"});
  const auto problems = log.problems();
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_NE(problems[0].summary.find("2 of 3 planned"), std::string::npos);
  EXPECT_EQ(log.failedCount(), 2);
}

TEST(GuestLog, ExpectedBinaryThatNeverRanFails) {
  const auto log =
      feed({"t", "u"}, {"KML-RUN-BEGIN", "KML-TEST-BEGIN t", "1..1", "ok 1 a",
                        "KML-TEST-END t exit=0", "KML-RUN-END"});
  const auto problems = log.problems();
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_NE(problems[0].summary.find("'u' never ran"), std::string::npos);
  EXPECT_EQ(log.failedCount(), 1);
}

TEST(GuestLog, NonZeroExitWithAllCasesOkStillFails) {
  const auto log =
      feed({"t"}, {"KML-RUN-BEGIN", "KML-TEST-BEGIN t", "1..1", "ok 1 a",
                   "KML-TEST-END t exit=139", "KML-RUN-END"});
  ASSERT_EQ(log.problems().size(), 1U);
  EXPECT_EQ(log.failedCount(), 1);
}

TEST(GuestLog, KselftestSkipStatusIsNotAFailure) {
  const auto log = feed({"t"}, {"KML-RUN-BEGIN", "KML-TEST-BEGIN t", "1..1",
                                "ok 1 a # SKIP needs hardware",
                                "KML-TEST-END t exit=4", "KML-RUN-END"});
  EXPECT_TRUE(log.problems().empty());
}

TEST(GuestLog, KernelWarningFailsEvenWhenEveryTestPasses) {
  const auto log =
      feed({"t"}, {"KML-RUN-BEGIN", "KML-TEST-BEGIN t", "1..1", "ok 1 a",
                   "[    3.1] WARNING: CPU: 0 PID: 1 at kml/main.c:10 kml_init",
                   "KML-TEST-END t exit=0", "KML-RUN-END"});
  const auto problems = log.problems();
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_NE(problems[0].summary.find("kernel WARNING"), std::string::npos);
  EXPECT_EQ(log.failedCount(), 1);
}

TEST(GuestLog, RecognisesEveryKernelReportKind) {
  // kmemleak's line as the kernel prints it, too long for one literal.
  static constexpr const char *kKmemleak =
      "[ 1.0] kmemleak: 1 new suspected memory leaks (see "
      "/sys/kernel/debug/kmemleak)";
  for (const auto *line :
       {"[ 1.0] BUG: KASAN: use-after-free in f", "[ 1.0] Oops: 0002 [#1] SMP",
        "[ 1.0] kernel BUG at mm/slub.c:1", "[ 1.0] BUG: kernel NULL pointer",
        "[ 1.0] general protection fault, probably for non-canonical address",
        "[ 1.0] Kernel panic - not syncing: x",
        "[ 1.0] INFO: possible circular locking dependency detected",
        "[ 1.0] INFO: possible recursive locking detected",
        "unreferenced object 0xffff888 (size 64):", kKmemleak,
        "[ 1.0] BUG: KFENCE: out-of-bounds read in f",
        "[ 1.0] rcu: INFO: rcu_sched self-detected stall on CPU"}) {
    EXPECT_FALSE(kernelReportKind(line).empty()) << line;
  }
}

TEST(GuestLog, OrdinaryLinesAreNotKernelReports) {
  for (const auto *line :
       {"ok 1 kml.warning_is_reported", "# WARNING: not a kernel line",
        "[ 1.0] kmemleak: Kernel memory leak detector initialized",
        "[ 1.0] kml: version 0.1.0 loaded"}) {
    EXPECT_TRUE(kernelReportKind(line).empty()) << line;
  }
}

TEST(GuestLog, GuestThatStopsMidTestFails) {
  const auto log =
      feed({"t"}, {"KML-RUN-BEGIN", "KML-TEST-BEGIN t", "1..2", "ok 1 a"});
  const auto problems = log.problems();
  ASSERT_GE(problems.size(), 2U);
  EXPECT_NE(problems[0].summary.find("did not finish"), std::string::npos);
  EXPECT_GE(log.failedCount(), 2);
}

TEST(GuestLog, NoBootFails) {
  const auto log = feed({"t"}, {"[ 0.0] Linux version 6.12"});
  const auto problems = log.problems();
  ASSERT_FALSE(problems.empty());
  EXPECT_NE(problems[0].summary.find("never started"), std::string::npos);
}

} // namespace
} // namespace kml::vmrun
