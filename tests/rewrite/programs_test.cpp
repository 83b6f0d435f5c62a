// Real programs rewritten and run at ring 3 on this host: glibc static and
// static-pie, musl, stripped, and Debian's busybox. Output and exit status
// must equal the original's, natively and (single-threaded programs)
// through the test entry that takes the stubs' direct and restart paths.
// Static coverage is recorded as a test property and printed.

#include "support.hpp"

#include "kml/elf_image.hpp"
#include "kml/rewrite/rewriter.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <sstream>

namespace kml::rwtest {
namespace {

// Thread output lines come in any order: compare them sorted.
std::string sortedLines(const std::string &text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  std::ranges::sort(lines);
  std::string out;
  for (const std::string &line : lines) {
    out += line + "\n";
  }
  return out;
}

struct Mode {
  bool testEntry;
  const char *name;
};

void PrintTo(const Mode &mode, std::ostream *out) { *out << mode.name; }

class RealProgramTest
    : public ::testing::TestWithParam<std::tuple<std::string, Mode>> {};

TEST_P(RealProgramTest, BehavesLikeTheOriginal) {
  const auto &[name, mode] = GetParam();
  // The test entry keeps its return addresses in one per-process stack:
  // not for threads.
  if (mode.testEntry &&
      (name.starts_with("threads") || name.starts_with("cancel"))) {
    GTEST_SKIP() << "the test entry is single-threaded";
  }
  // The test entry's own syscall has no FDE: unwinding stops there.
  if (mode.testEntry && name.starts_with("unwind")) {
    GTEST_SKIP() << "the test entry has no unwind information";
  }
  TempDir dir;
  const fs::path out = dir / name;
  std::vector<std::string> args{"rewrite", program(name).string(), "-o",
                                out.string(), "--quiet"};
  if (mode.testEntry) {
    args.emplace_back("--test-entry");
  }
  const RunResult rewrite = kml(args);
  ASSERT_EQ(rewrite.exitCode, 0) << rewrite.err;
  const std::vector<std::string> argv{"one", "two words"};
  const std::vector<std::string> env{"KML_REWRITE_TEST=yes"};
  auto runIt = [&](const fs::path &path) {
    std::vector<std::string> full{path.string()};
    full.insert(full.end(), argv.begin(), argv.end());
    RunResult r = run(full, "", env);
    r.out = sortedLines(r.out);
    return r;
  };
  const RunResult original = runIt(program(name));
  const RunResult rewritten = runIt(out);
  EXPECT_NE(original.exitCode, 1) << original.out; // the checks passed
  EXPECT_EQ(rewritten.exitCode, original.exitCode) << rewritten.out;
  EXPECT_EQ(rewritten.out, original.out);
  EXPECT_EQ(rewritten.err, original.err);
}

INSTANTIATE_TEST_SUITE_P(
    Programs, RealProgramTest,
    ::testing::Combine(::testing::ValuesIn(realPrograms()),
                       ::testing::Values(Mode{false, "native"},
                                         Mode{true, "direct"})),
    [](const auto &info) {
      return paramName(std::get<0>(info.param)) + "_" +
             std::get<1>(info.param).name;
    });

// Static coverage: every site the rewriter finds is rewritten except a
// few it names, and at least 95% in every real program.
void expectCoverage(const fs::path &path, const std::string &label) {
  const ElfImage image(readBytes(path));
  const rewrite::RewriteReport report = rewrite::analyseImage(image);
  std::cout << rewrite::formatReport(report, label);
  ::testing::Test::RecordProperty("found", static_cast<int>(report.found()));
  ::testing::Test::RecordProperty("rewritten",
                                  static_cast<int>(report.rewritten()));
  EXPECT_GT(report.found(), 0U);
  EXPECT_GE(report.rewritten() * 100, report.found() * 95) << label;
  for (const auto &site : report.sites) {
    if (!site.rewritten) {
      EXPECT_NE(site.reason, rewrite::LeaveReason::None);
    }
  }
}

class CoverageTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CoverageTest, AlmostEverySiteIsRewritten) {
  expectCoverage(program(GetParam()), GetParam());
}

INSTANTIATE_TEST_SUITE_P(Programs, CoverageTest,
                         ::testing::ValuesIn(realPrograms()),
                         [](const auto &info) {
                           return paramName(info.param);
                         });

// Debian's busybox-static: a large stripped glibc program.
class BusyboxTest : public ::testing::TestWithParam<Mode> {
protected:
  static constexpr const char *kBusybox = "/bin/busybox";
  void SetUp() override {
    if (!fs::exists(kBusybox) ||
        kml({"rewrite", kBusybox, "--dry-run", "-q"}).exitCode != 0) {
      GTEST_SKIP() << "no static /bin/busybox";
    }
    // busybox picks the applet from argv[0]: keep the name.
    std::vector<std::string> args{"rewrite", kBusybox, "-o",
                                  (dir_ / "busybox").string(), "-q"};
    if (GetParam().testEntry) {
      args.emplace_back("--test-entry");
    }
    ASSERT_EQ(kml(args).exitCode, 0);
  }
  // The same script with the original and the rewritten busybox.
  void expectSame(const std::string &script) {
    auto with = [&](const std::string &bb) {
      return shell("BB=" + bb + "; " + script);
    };
    const RunResult original = with(kBusybox);
    const RunResult rewritten = with((dir_ / "busybox").string());
    EXPECT_EQ(rewritten, original) << script;
  }
  TempDir dir_;
};

TEST_P(BusyboxTest, ShellLoop) {
  expectSame("$BB sh -c 'for i in 1 2 3; do echo $i; done; exit 4'");
}
TEST_P(BusyboxTest, Sort) { expectSame(R"(printf 'b\nc\na\n' | $BB sort)"); }
TEST_P(BusyboxTest, Md5sum) { expectSame("seq 1 20000 | $BB md5sum"); }
TEST_P(BusyboxTest, GzipRoundTrip) {
  expectSame("seq 1 50000 | $BB gzip -c | $BB gzip -dc | $BB md5sum");
}
TEST_P(BusyboxTest, Find) {
  // A tree of our own: /tmp itself changes while tests run in parallel.
  expectSame("D=$(mktemp -d); mkdir -p $D/a/b; touch $D/a/x $D/a/b/y; "
             "cd $D && $BB find . -maxdepth 2 | sort; rm -rf $D");
  const RunResult tmp =
      shell((dir_ / "busybox").string() + " find /tmp -maxdepth 1");
  EXPECT_EQ(tmp.exitCode, 0);
  EXPECT_NE(tmp.out.find("/tmp\n"), std::string::npos);
}
TEST_P(BusyboxTest, Coverage) { expectCoverage(kBusybox, kBusybox); }

INSTANTIATE_TEST_SUITE_P(Modes, BusyboxTest,
                         ::testing::Values(Mode{false, "native"},
                                           Mode{true, "direct"}),
                         [](const auto &info) { return info.param.name; });

} // namespace
} // namespace kml::rwtest
