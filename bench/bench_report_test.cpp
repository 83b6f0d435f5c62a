#include "bench_report.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace kml::bench {
namespace {

TEST(BenchReport, ParsesBenchLinesAndIgnoresTheRest) {
  std::istringstream log("[ 1.0] boot\nBENCH-INFO cpl=0\n"
                         "BENCH getppid ring0-slow 204.0\n"
                         "BENCH getppid ring0-direct 99.5\nnoise\n");
  const auto run = parseLog(log, "pti=on", true);
  // Not ASSERT_TRUE: clang-tidy 19 does not see that it returns.
  if (!run) {
    FAIL() << "no figures parsed";
  }
  EXPECT_DOUBLE_EQ(run->figures.at("getppid").at("ring0-slow"), 204.0);
  EXPECT_DOUBLE_EQ(run->figures.at("getppid").at("ring0-direct"), 99.5);
}

TEST(BenchReport, LogWithoutBenchLinesIsAFailedRun) {
  std::istringstream log("Kernel panic - not syncing\n");
  EXPECT_FALSE(parseLog(log, "x", false).has_value());
}

TEST(BenchReport, MarkdownHasARowPerSyscallAndTheSpeedup) {
  std::istringstream log("BENCH getppid ring3 200\n"
                         "BENCH getppid ring0-direct 50\n"
                         "BENCH futex-wake ring3 400\n");
  const auto run = parseLog(log, "pti=on", true);
  if (!run) {
    FAIL() << "no figures parsed";
  }
  const std::vector<Configuration> runs{*run};
  std::ostringstream md;
  writeMarkdown(md, runs);
  EXPECT_NE(md.str().find("| getppid | 200 | n/a | 50 | n/a | 4.00x |"),
            std::string::npos)
      << md.str();
  EXPECT_NE(md.str().find("| futex-wake | 400 | n/a | n/a | n/a | n/a |"),
            std::string::npos)
      << md.str();
}

TEST(BenchReport, SvgHasOneBarPerFigure) {
  std::istringstream log("BENCH getppid ring3 200\n"
                         "BENCH getppid ring0-direct 50\n");
  const auto run = parseLog(log, "pti=on", true);
  if (!run) {
    FAIL() << "no figures parsed";
  }
  const std::vector<Configuration> runs{*run};
  std::ostringstream svg;
  writeSvg(svg, runs);
  const std::string s = svg.str();
  std::size_t bars = 0;
  for (auto pos = s.find("<title>"); pos != std::string::npos;
       pos = s.find("<title>", pos + 1)) {
    ++bars;
  }
  EXPECT_EQ(bars, 2U);
  EXPECT_EQ(s.rfind("</svg>\n"), s.size() - 7);
}

} // namespace
} // namespace kml::bench
