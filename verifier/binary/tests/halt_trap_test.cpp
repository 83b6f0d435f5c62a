// The byte kml rewrite writes over a hlt (docs/binary-validator.md,
// "Halts"): a lone 0x06 is accepted and counted, as an instruction that
// ends the flow; every other byte that does not decode stays KML-B023, and
// hlt itself KML-B008.
#include "code_scan.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace kml::binval {
namespace {

TEST(HaltTrap, TheRewritersByteIsAcceptedAndCounted) {
  // musl's __stack_chk_fail once rewritten: 06 c3.
  Report report = scan({0x06, 0xc3}, {{"__stack_chk_fail", kBase, 2}});
  EXPECT_TRUE(report.findings.empty());
  EXPECT_EQ(report.haltTraps, 1U);
  EXPECT_EQ(report.instructions, 2U);
}

TEST(HaltTrap, FlowEndsThereSoPaddingMayFollow) {
  // glibc's `hlt; jmp .-1` after a call; then int3 padding.
  Report report = scan({0xe8, 0, 0, 0, 0, 0x06, 0xeb, 0xfd, 0xcc, 0xcc});
  EXPECT_TRUE(report.findings.empty());
  EXPECT_EQ(report.haltTraps, 1U);
}

TEST(HaltTrap, OtherBytesThatDoNotDecodeAreStillFindings) {
  // push %cs, salc, daa: all #UD in 64-bit mode, none is the rewriter's.
  for (std::uint8_t b : {0x0e, 0xd6, 0x27}) {
    Report report = scan({0x90, b, 0xc3}, {{"f", kBase, 3}});
    ASSERT_EQ(report.findings.size(), 1U) << int(b);
    EXPECT_EQ(report.findings[0].ruleId, "KML-B023") << int(b);
    EXPECT_EQ(report.haltTraps, 0U);
  }
}

TEST(HaltTrap, AHltIsStillAFinding) {
  Report report = scan({0x90, 0xf4, 0xc3}, {{"f", kBase, 3}});
  ASSERT_EQ(report.findings.size(), 1U);
  EXPECT_EQ(report.findings[0].ruleId, "KML-B008");
  EXPECT_EQ(report.haltTraps, 0U);
}

} // namespace
} // namespace kml::binval
