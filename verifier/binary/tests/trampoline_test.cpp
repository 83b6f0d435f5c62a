// The rt_sigreturn trampoline (docs/binary-validator.md, "The rt_sigreturn
// trampoline"): exactly `mov $15,%rax; syscall`, decoded in that order in
// one function, is accepted and counted; anything near it is KML-B001.
#include "code_scan.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace kml::binval {
namespace {

// Expects one KML-B001 at kBase + syscallOffset and nothing accepted.
void expectRefused(const Report &report, std::uint64_t syscallOffset) {
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].ruleId, "KML-B001");
  EXPECT_EQ(report.findings[0].address, kBase + syscallOffset);
  EXPECT_EQ(report.sigreturnTrampolines, 0u);
}

TEST(SigreturnTrampoline, ExactBytesAreAcceptedAndCounted) {
  Report report = scan({0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, // mov
                        0x0f, 0x05,                               // syscall
                        0x90},
                       {{"__restore_rt", kBase, 10}});
  EXPECT_TRUE(report.findings.empty());
  EXPECT_EQ(report.sigreturnTrampolines, 1u);
}

TEST(SigreturnTrampoline, AcceptedWithoutSymbolsToo) {
  // A stripped program: the same bytes, no function to anchor them.
  Report report =
      scan({0xc3, 0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05});
  EXPECT_TRUE(report.findings.empty());
  EXPECT_EQ(report.sigreturnTrampolines, 1u);
}

TEST(SigreturnTrampoline, AnotherNumberIsASite) {
  // mov $14,%rax: rt_sigprocmask, a call the rewriter should have taken.
  expectRefused(scan({0x48, 0xc7, 0xc0, 0x0e, 0x00, 0x00, 0x00, 0x0f, 0x05}),
                7);
}

TEST(SigreturnTrampoline, OtherEncodingsOfFifteenAreSites) {
  // mov $15,%eax: the same number, not the bytes unwinders look for.
  expectRefused(scan({0xb8, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05}), 5);
  // movabs $15,%rax
  expectRefused(scan({0x48, 0xb8, 0x0f, 0, 0, 0, 0, 0, 0, 0, 0x0f, 0x05}), 10);
}

TEST(SigreturnTrampoline, AnInstructionBetweenMakesItASite) {
  expectRefused(
      scan({0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x90, 0x0f, 0x05}), 8);
}

TEST(SigreturnTrampoline, TheMovMustBeAnInstructionOfItsOwn) {
  // The seven bytes before the syscall are the end of a movabs immediate:
  // the instruction before the syscall starts three bytes earlier.
  expectRefused(scan({0x48, 0xb8, 0x90, 0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00,
                      0x00, 0x0f, 0x05}),
                10);
}

TEST(SigreturnTrampoline, ASyscallThatStartsAFunctionIsASite) {
  // Called directly, it runs with whatever %rax the caller chose.
  expectRefused(scan({0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05},
                     {{"f", kBase, 7}, {"g", kBase + 7, 2}}),
                7);
}

TEST(SigreturnTrampoline, AMovThatEndsAFunctionDoesNotCount) {
  // f is only the mov; the syscall lies in the gap after it.
  expectRefused(scan({0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05},
                     {{"f", kBase, 7}}),
                7);
}

} // namespace
} // namespace kml::binval
