// Padding, gaps between functions, resynchronisation at symbols, and runs
// of undecodable bytes.
#include "code_scan.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace kml::binval {
namespace {

TEST(Padding, Int3AndZeroRunsAfterRetAreAccepted) {
  // ret; int3 x3; (next function) ret; zeros; ret
  Report report = scan({0xc3, 0xcc, 0xcc, 0xcc, 0xc3, 0x00, 0x00, 0x00, 0xc3});
  EXPECT_TRUE(report.findings.empty());
}

TEST(Padding, SlsInt3AfterIndirectJumpInsideFunctionIsAccepted) {
  // -mharden-sls puts int3 after ret and jmp *reg inside the function.
  Report report = scan({0xff, 0xe0, 0xcc, 0xc3, 0xcc}, {{"sls", kBase, 5}});
  EXPECT_TRUE(report.findings.empty());
}

TEST(Padding, Int3AfterUd2IsAccepted) {
  Report report = scan({0x0f, 0x0b, 0xcc, 0xcc, 0xc3});
  EXPECT_TRUE(report.findings.empty());
}

TEST(Padding, Int3ReachableByFallThroughIsDecodedAndAllowed) {
  // A ring-0 task's int3 is its SIGTRAP (KML-B004 is retired).
  Report report = scan({0x90, 0xcc, 0xc3}, {{"f", kBase, 3}});
  EXPECT_TRUE(report.findings.empty());
  EXPECT_EQ(report.instructions, 3u);
}

TEST(Padding, FunctionEntryIsNeverPadding) {
  // An int3 as the first instruction of a function is reachable by a call:
  // decoded as code (three instructions), not skipped as padding.
  Report report =
      scan({0xc3, 0xcc, 0xc3}, {{"a", kBase, 1}, {"b", kBase + 1, 2}});
  EXPECT_TRUE(report.findings.empty());
  EXPECT_EQ(report.instructions, 3u);
}

TEST(Padding, ZeroPaddingIsSkippedButAFunctionEntryIsNot) {
  // Zeros after ret are padding; zeros at a function start are code
  // (add [rax], al) and shift what follows: the syscall is still found.
  Report skipped = scan({0xc3, 0x00, 0x00, 0xc3}, {{"a", kBase, 1}});
  EXPECT_EQ(skipped.instructions, 2u);
  Report entry = scan({0xc3, 0x00, 0x00, 0x0f, 0x05},
                      {{"a", kBase, 1}, {"b", kBase + 1, 4}});
  ASSERT_EQ(entry.findings.size(), 1u);
  EXPECT_EQ(entry.findings[0].ruleId, "KML-B001");
  EXPECT_EQ(entry.findings[0].symbol, "b+0x2");
}

TEST(Padding, GapAfterSizedFunctionMayHoldPadding) {
  // f ends after `call` (no terminator); the zeros after its end are padding.
  std::vector<std::uint8_t> raw = {0xe8, 0x00, 0x00, 0x00, 0x00, // call
                                   0x00, 0xcc, 0x00,             // padding
                                   0xc3};                        // g: ret
  Report report = scan(raw, {{"f", kBase, 5}, {"g", kBase + 8, 1}});
  EXPECT_TRUE(report.findings.empty());
}

TEST(Padding, CodeAfterPaddingIsStillChecked) {
  // ret; int3 padding; then a syscall in the gap (no symbol covers it).
  Report report = scan({0xc3, 0xcc, 0xcc, 0x0f, 0x05, 0xc3}, {{"f", kBase, 1}});
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].ruleId, "KML-B001");
  EXPECT_EQ(report.findings[0].address, kBase + 3);
  // In gaps the closest preceding symbol names the address, like objdump.
  EXPECT_EQ(report.findings[0].symbol, "f+0x3");
}

TEST(Resync, DecodingRestartsAtEachFunctionSymbol) {
  // Without the restart at g, `b8` (mov eax, imm32) in front of g would
  // swallow the first byte of g's syscall.
  std::vector<std::uint8_t> raw = {0xb8, 0x90, 0x90, 0x90, // f: cut-off mov
                                   0x0f, 0x05, 0xc3};      // g: syscall; ret
  Report report = scan(raw, {{"f", kBase, 4}, {"g", kBase + 4, 3}});
  ASSERT_EQ(report.findings.size(), 2u);
  EXPECT_EQ(report.findings[0].ruleId, "KML-B023"); // mov cut by g's start
  EXPECT_EQ(report.findings[0].address, kBase);
  EXPECT_EQ(report.findings[0].instruction, ".byte 0xb8");
  EXPECT_EQ(report.findings[1].ruleId, "KML-B001");
  EXPECT_EQ(report.findings[1].address, kBase + 4);
  EXPECT_EQ(report.findings[1].symbol, "g+0x0");
}

TEST(Undecodable, DecodingContinuesAfterABadByte) {
  // Bytes after an undecodable one are still decoded, so a syscall right
  // behind garbage is reported too.
  Report report = scan({0x0e, 0x0f, 0x05, 0xc3});
  ASSERT_EQ(report.findings.size(), 2u);
  EXPECT_EQ(report.findings[0].ruleId, "KML-B023");
  EXPECT_EQ(report.findings[1].ruleId, "KML-B001");
  EXPECT_EQ(report.findings[1].address, kBase + 1);
}

TEST(Undecodable, ARunIsOneFinding) {
  Report report = scan({0x90, 0x0e, 0x07, 0x0e, 0x90, 0xc3});
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].ruleId, "KML-B023");
  EXPECT_EQ(report.findings[0].address, kBase + 1);
  EXPECT_EQ(report.findings[0].instruction, ".byte 0x0e, 0x07, 0x0e");
  EXPECT_EQ(report.findings[0].symbol, "?");
}

TEST(Undecodable, RunsStopAtFunctionStarts) {
  Report report = scan({0x0e, 0x0e, 0x0e, 0x0e, 0xc3},
                       {{"f", kBase, 2}, {"g", kBase + 2, 3}});
  ASSERT_EQ(report.findings.size(), 2u);
  EXPECT_EQ(report.findings[0].symbol, "f+0x0");
  EXPECT_EQ(report.findings[0].instruction, ".byte 0x0e, 0x0e");
  EXPECT_EQ(report.findings[1].symbol, "g+0x0");
  EXPECT_EQ(report.findings[1].instruction, ".byte 0x0e, 0x0e");
}

TEST(Undecodable, LongRunsShowSixteenBytes) {
  std::vector<std::uint8_t> raw(40, 0x0e);
  Report report = scan(raw);
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].instruction.size(),
            std::string(".byte 0x0e").size() +
                15 * std::string(", 0x0e").size());
}

TEST(Undecodable, DataInGapsBetweenFunctionsIsSkipped) {
  // Bytes between two sized functions that do not decode are data, not a
  // finding; a banned instruction in the same gap is still reported.
  std::vector<std::uint8_t> raw = {0xe8, 0x00, 0x00, 0x00, 0x00, // f: call
                                   0x90, 0x0e, 0x07,             // gap data
                                   0xc3};                        // g: ret
  Report report = scan(raw, {{"f", kBase, 5}, {"g", kBase + 8, 1}});
  EXPECT_TRUE(report.findings.empty());
  raw[6] = 0x0f;
  raw[7] = 0x05;
  report = scan(raw, {{"f", kBase, 5}, {"g", kBase + 8, 1}});
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].ruleId, "KML-B001");
  EXPECT_EQ(report.findings[0].address, kBase + 6);
}

TEST(Padding, ClangFunctionSignatureBeforeAFunctionIsData) {
  // clang -fsanitize=function: 0xc105cafe and a type hash right before g.
  // This hash decodes to `in eax, dx` if taken as code.
  std::vector<std::uint8_t> raw = {0xc3,                   // f: ret
                                   0xcc, 0xcc,             // padding
                                   0xfe, 0xca, 0x05, 0xc1, // signature
                                   0x90, 0xed, 0xed, 0xed, // type hash
                                   0xc3};                  // g: ret
  Report report = scan(raw, {{"f", kBase, 1}, {"g", kBase + 11, 1}});
  EXPECT_TRUE(report.findings.empty());
  // The same bytes reachable by fall-through inside a function are code.
  report = scan(raw, {{"f", kBase, 11}, {"g", kBase + 11, 1}});
  EXPECT_FALSE(report.findings.empty());
}

TEST(Undecodable, InsideANestedSymbolIsReported) {
  // `inner` ends before the bad byte, but `outer` still covers it.
  Report report = scan({0x90, 0x90, 0x0e, 0xc3},
                       {{"outer", kBase, 4}, {"inner", kBase + 1, 1}});
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].ruleId, "KML-B023");
  EXPECT_EQ(report.findings[0].symbol, "inner+0x1");
}

TEST(Undecodable, TruncatedInstructionAtEndOfCode) {
  Report report = scan({0x90, 0x48, 0x8b});
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].ruleId, "KML-B023");
  EXPECT_EQ(report.findings[0].address, kBase + 1);
}

TEST(Symbols, AliasesAndNestedSymbolsNameTheClosestStart) {
  std::vector<std::uint8_t> raw = {0x90, 0x90, 0x0f, 0x05, 0xc3};
  Report report = scan(raw, {{"first", kBase, 5}, {"alias", kBase, 5}});
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].symbol, "first+0x2");
}

TEST(Symbols, FindingsAreInAddressOrder) {
  Report report = scan({0x0f, 0x05, 0xfa, 0xf4, 0x0f, 0x05, 0xc3});
  ASSERT_EQ(report.findings.size(), 4u);
  for (std::size_t i = 1; i < report.findings.size(); ++i)
    EXPECT_LT(report.findings[i - 1].address, report.findings[i].address);
}

} // namespace
} // namespace kml::binval
