#include "traced_calls.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kml {
namespace {

std::vector<TraceRecord> records(const std::vector<std::string> &lines) {
  std::vector<TraceRecord> parsed;
  for (const std::string &line : lines) {
    auto record = parseTraceLine(line);
    EXPECT_TRUE(record.has_value()) << line;
    if (record) {
      parsed.push_back(std::move(*record));
    }
  }
  return parsed;
}

TEST(TracedCalls, ACallIsPairedWithItsTasksNextExit) {
  const TracedCalls traced = collectTracedCalls(records({
      "p-10 [000] ..... 1.000000: kml_direct_syscall: nr=110 site=0x4c3012 "
      "sp=0x1",
      "q-11 [001] ..... 1.000001: kml_slow_syscall: nr=39 site=0x401000 "
      "sp=0x1",
      "p-10 [000] ..... 1.000003: sys_exit: NR 110 = 9",
      "q-11 [001] ..... 1.000011: sys_exit: NR 39 = 11",
  }));
  ASSERT_EQ(2U, traced.calls.size());
  EXPECT_EQ(TracedPath::Direct, traced.calls[0].path);
  EXPECT_EQ(0x4c3012U, traced.calls[0].site);
  EXPECT_EQ(9, traced.calls[0].result);
  EXPECT_EQ(3000U, traced.calls[0].costNs);
  EXPECT_EQ(TracedPath::Slow, traced.calls[1].path);
  EXPECT_EQ(11, traced.calls[1].result);
  EXPECT_EQ(10000U, traced.calls[1].costNs);
  EXPECT_EQ(1U, traced.count(TracedPath::Direct));
  EXPECT_EQ(1U, traced.count(TracedPath::Slow));
}

TEST(TracedCalls, AnExitOfAnotherNumberOrNoExitLeavesNoResult) {
  const TracedCalls traced = collectTracedCalls(records({
      "p-10 [000] ..... 1.000000: kml_direct_syscall: nr=231 site=0x1 sp=0x1",
      "p-12 [000] ..... 1.000000: kml_direct_syscall: nr=1 site=0x1 sp=0x1",
      "p-12 [000] ..... 1.000002: sys_exit: NR 0 = 5",
      "p-12 [000] ..... 1.000003: sys_exit: NR 1 = 5",
  }));
  ASSERT_EQ(2U, traced.calls.size());
  EXPECT_FALSE(traced.calls[0].result.has_value()); // exit_group
  EXPECT_FALSE(traced.calls[1].result.has_value()); // an untraced exit came
  EXPECT_FALSE(traced.calls[1].costNs.has_value());
}

TEST(TracedCalls, ExecDecisionsAndRefusalsAreKeptWithTheirFields) {
  const TracedCalls traced = collectTracedCalls(records({
      "p-10 [000] ..... 1.000000: kml_exec: file=/kml/x verdict=refused "
      "reason=unprivileged assurance= err=-1",
      "p-10 [000] ..... 1.000000: kml_refused: kind=exec name=/kml/x "
      "reason=unprivileged detail=\"only root\" err=-1",
  }));
  ASSERT_EQ(1U, traced.execs.size());
  EXPECT_EQ("/kml/x", traced.execs[0].file);
  EXPECT_EQ("refused", traced.execs[0].verdict);
  EXPECT_EQ("unprivileged", traced.execs[0].reason);
  EXPECT_EQ(-1, traced.execs[0].error);
  ASSERT_EQ(1U, traced.refusals.size());
  EXPECT_EQ("exec", traced.refusals[0].kind);
  EXPECT_EQ("only root", traced.refusals[0].detail);
}

TEST(TracedCalls, SlowSitesAreCountedMostFirst) {
  const TracedCalls traced = collectTracedCalls(records({
      "p-1 [000] ..... 1.000000: kml_slow_syscall: nr=1 site=0x10 sp=0x1",
      "p-1 [000] ..... 1.000001: kml_slow_syscall: nr=1 site=0x20 sp=0x1",
      "p-1 [000] ..... 1.000002: kml_slow_syscall: nr=1 site=0x20 sp=0x1",
      "p-1 [000] ..... 1.000003: kml_direct_syscall: nr=1 site=0x30 sp=0x1",
  }));
  const auto sites = traced.slowSites();
  ASSERT_EQ(2U, sites.size());
  EXPECT_EQ(0x20U, sites[0].first);
  EXPECT_EQ(2U, sites[0].second);
  EXPECT_EQ(0x10U, sites[1].first);
  EXPECT_EQ(1U, sites[1].second);
}

} // namespace
} // namespace kml
