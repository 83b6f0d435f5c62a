// The fuzz oracle: which endings and messages it accepts.

#include "oracle.hpp"

#include <gtest/gtest.h>

namespace kml::fuzz {
namespace {

const Command kMark{Tool::Kml, "mark", "/tmp/x/input"};
const Command kVerify{Tool::Verify, "verify", "/tmp/x/input"};

ToolResult exited(int code, std::string err = "") {
  ToolResult r;
  r.exitCode = code;
  r.err = std::move(err);
  return r;
}

TEST(Oracle, AcceptsSuccessAndWellFormedRefusals) {
  EXPECT_TRUE(judge(kMark, exited(0)).empty());
  EXPECT_TRUE(judge(kMark, exited(65, "kml mark: /tmp/x/input: no program "
                                      "headers\n"))
                  .empty());
  EXPECT_TRUE(judge(kMark, exited(1, "kml mark: /tmp/x/input: 32-bit ELF "
                                     "file: kml supports x86-64 only\n"))
                  .empty());
  // kml-verify: findings are a result; its summary line is not an error.
  EXPECT_TRUE(judge(kVerify, exited(1, "kml-verify: 3 findings in 0 "
                                       "translation units and 1 binary\n"))
                  .empty());
  EXPECT_TRUE(
      judge(kVerify, exited(2, "kml-verify: /tmp/x/input: not an ELF file\n"
                               "kml-verify: 0 findings in 0 translation units "
                               "(rule set 1); errors above\n"))
          .empty());
}

TEST(Oracle, RejectsCrashesTimeoutsAndSanitizerReports) {
  ToolResult killed;
  killed.signal = 11;
  ASSERT_EQ(1U, judge(kMark, killed).size());
  EXPECT_NE(std::string::npos, judge(kMark, killed)[0].find("signal 11"));
  ToolResult slow;
  slow.timedOut = true;
  EXPECT_EQ("timed out", judge(kMark, slow).at(0));
  const auto asan =
      judge(kMark,
            exited(86, "==1==ERROR: AddressSanitizer: heap-buffer-overflow\n"));
  ASSERT_EQ(2U, asan.size()); // the report and the exit status
  EXPECT_NE(std::string::npos, asan[0].find("heap-buffer-overflow"));
  EXPECT_FALSE(
      judge(kMark, exited(0, "x.cpp:3:5: runtime error: shift exponent\n"))
          .empty());
}

TEST(Oracle, RejectsUndocumentedStatuses) {
  EXPECT_FALSE(judge(kMark, exited(2)).empty());
  EXPECT_FALSE(judge(kMark, exited(134)).empty());
  EXPECT_FALSE(judge(kVerify, exited(65)).empty());
}

TEST(Oracle, RefusalNeedsOneLineNamingTheFileAndAReason) {
  EXPECT_FALSE(judge(kMark, exited(65)).empty());
  EXPECT_FALSE(judge(kMark, exited(65, "kml mark: malformed\n")).empty());
  EXPECT_FALSE(judge(kMark, exited(65, "kml mark: /tmp/x/input: \n")).empty());
  // A detail that went missing (a null message from a library).
  EXPECT_FALSE(judge(kMark, exited(65, "kml mark: /tmp/x/input: libelf "
                                       "cannot parse the file: \n"))
                   .empty());
  EXPECT_FALSE(judge(kMark, exited(65, "kml mark: /tmp/x/input: bad\n"
                                       "kml mark: /tmp/x/input: worse\n"))
                   .empty());
  EXPECT_FALSE(
      judge(kMark, exited(65, "kml inspect: /tmp/x/input: bad input\n"))
          .empty());
  EXPECT_FALSE(judge(kVerify, exited(2, "kml-verify: /tmp/x/input: "
                                        "/tmp/x/input: not an ELF file\n"))
                   .empty());
}

TEST(Oracle, RefusalReason) {
  EXPECT_EQ("no program headers",
            refusalReason(kMark, exited(65, "kml mark: /tmp/x/input: no "
                                            "program headers\n")));
  EXPECT_EQ("", refusalReason(kMark, exited(0)));
}

TEST(Oracle, NormalizeReasonBlanksNumbersButNotNames) {
  EXPECT_EQ("segment N (PT_LOAD, offset 0xN, size 0xN) extends beyond the "
            "end of the file (N bytes)",
            normalizeReason("segment 3 (PT_LOAD, offset 0x1c8, size 0xffff) "
                            "extends beyond the end of the file (800 bytes)"));
  EXPECT_EQ("ELF machine N is not x86-64 (EM_X86_64 = N)",
            normalizeReason("ELF machine 3 is not x86-64 (EM_X86_64 = 62)"));
}

} // namespace
} // namespace kml::fuzz
