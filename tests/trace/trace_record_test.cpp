#include "trace_record.hpp"

#include <gtest/gtest.h>

namespace kml {
namespace {

TEST(TraceRecord, AKmlEventLineGivesItsTaskTimeAndFields) {
  const auto record = parseTraceLine(
      "     entry-probe.kml-93      [001] .....    12.345678: "
      "kml_direct_syscall: nr=110 site=0x4c3012 sp=0x7ffd5e8a1c18");
  if (!record) {
    FAIL() << "no record";
  }
  EXPECT_EQ("entry-probe.kml", record->comm);
  EXPECT_EQ(93, record->pid);
  EXPECT_EQ(1, record->cpu);
  EXPECT_EQ(12'345'678'000U, record->timeNs);
  EXPECT_EQ("kml_direct_syscall", record->event);
  EXPECT_EQ(110, record->number("nr"));
  EXPECT_EQ(0x4c3012, record->number("site"));
  EXPECT_EQ("0x7ffd5e8a1c18", record->field("sp"));
}

TEST(TraceRecord, ACommandNameWithDashesAndSpacesKeepsThem) {
  const auto record = parseTraceLine(
      "  my-prog v2-1234 [000] d..1. 1.000001: kml_slow_syscall: nr=39 "
      "site=0x401000 sp=0x1");
  if (!record) {
    FAIL() << "no record";
  }
  EXPECT_EQ("my-prog v2", record->comm);
  EXPECT_EQ(1234, record->pid);
  EXPECT_EQ(1'000'001'000U, record->timeNs);
}

TEST(TraceRecord, AQuotedFieldIsUnquotedAndMayHoldSpaces) {
  const auto record = parseTraceLine(
      "attack-payload-7 [000] ..... 3.000000: kml_refused: kind=mapping "
      "name=attack-payload reason=anonymous-exec detail=\"anonymous memory\" "
      "err=-13");
  if (!record) {
    FAIL() << "no record";
  }
  EXPECT_EQ("anonymous memory", record->field("detail"));
  EXPECT_EQ(-13, record->number("err"));
  EXPECT_EQ("anonymous-exec", record->field("reason"));
}

TEST(TraceRecord, AnEmptyFieldIsPresentAndEmpty) {
  const auto record = parseTraceLine(
      "sh-5 [000] ..... 1.000000: kml_exec: file=/bin/x verdict=ring3 "
      "reason=marker-disabled assurance= err=0");
  if (!record) {
    FAIL() << "no record";
  }
  EXPECT_EQ("", record->field("assurance"));
  EXPECT_EQ(1U, record->fields.count("assurance"));
  EXPECT_EQ(0, record->number("err"));
}

TEST(TraceRecord, SysExitGivesNumberAndResult) {
  const auto record =
      parseTraceLine("probe-9 [000] ..... 2.000005: sys_exit: NR 110 = -38");
  if (!record) {
    FAIL() << "no record";
  }
  EXPECT_EQ(110, record->number("nr"));
  EXPECT_EQ(-38, record->number("ret"));
}

TEST(TraceRecord, CommentsBlanksAndGarbageAreNoRecords) {
  EXPECT_FALSE(parseTraceLine("# tracer: nop").has_value());
  EXPECT_FALSE(parseTraceLine("").has_value());
  EXPECT_FALSE(parseTraceLine("   ").has_value());
  EXPECT_FALSE(parseTraceLine("no brackets here: x: y").has_value());
  EXPECT_FALSE(parseTraceLine("a-1 [x] ..... 1.000000: e: k=v").has_value());
  EXPECT_FALSE(parseTraceLine("a-1 [0] ..... 1.5: e: k=v").has_value());
}

TEST(TraceRecord, AMissingOrNonNumericFieldHasNoNumber) {
  const auto record = parseTraceLine("a-1 [000] ..... 1.000000: e: k=v n=12x");
  if (!record) {
    FAIL() << "no record";
  }
  EXPECT_FALSE(record->number("missing").has_value());
  EXPECT_FALSE(record->number("k").has_value());
  EXPECT_FALSE(record->number("n").has_value());
}

} // namespace
} // namespace kml
