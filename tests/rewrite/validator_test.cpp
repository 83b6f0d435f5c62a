// The binary validator's view of a rewritten program agrees with the
// rewriter's report: the `syscall`s it finds (KML-B001) are exactly the
// sites the report says were left. Each stub's fallback `syscall` (CPL 3
// only, never executed while the entry slot is set) is recognised by its
// shape and accepted, so none is reported, and the validator's summary
// counts one accepted fallback per rewritten site.

#include "support.hpp"

#include "kml/elf_image.hpp"
#include "kml/rewrite/rewriter.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <string_view>

namespace kml::rwtest {
namespace {

struct Findings {
  std::set<std::uint64_t> syscalls;
  std::size_t stubFallbacks = 0; // from the summary line
};

Findings syscallFindings(const fs::path &validator, const fs::path &file) {
  const RunResult r = run({validator.string(), file.string()});
  Findings f;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    static constexpr std::string_view kAccepted = " rewriter stub fallbacks";
    if (const auto count = line.rfind(kAccepted); count != std::string::npos) {
      const auto start = line.rfind(' ', count - 1);
      f.stubFallbacks = std::stoull(line.substr(start + 1, count - start - 1));
      continue;
    }
    const auto at = line.find(":0x");
    if (at == std::string::npos ||
        line.find(": KML-B001:", at) == std::string::npos) {
      continue;
    }
    f.syscalls.insert(std::stoull(line.substr(at + 1), nullptr, 16));
  }
  return f;
}

// [start, end) of every sized STT_OBJECT symbol: the rewriter never
// decodes data objects, the validator decodes all of .text, so `0f 05`
// bytes inside a constant table in .text are its findings only.
std::vector<std::pair<std::uint64_t, std::uint64_t>>
dataObjects(const fs::path &file) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> objects;
  const RunResult r = run({"/usr/bin/readelf", "-sW", file.string()});
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string num, value, size, type;
    fields >> num >> value >> size >> type;
    if (type == "OBJECT" && size != "0") {
      try {
        const std::uint64_t start = std::stoull(value, nullptr, 16);
        objects.emplace_back(start, start + std::stoull(size, nullptr, 0));
      } catch (const std::exception &) {
      }
    }
  }
  return objects;
}

class ValidatorTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ValidatorTest, LeftSitesAreWhatTheValidatorFinds) {
  const auto validator = binval();
  if (!validator) {
    GTEST_SKIP() << "no kml-binval (build with KML_VERIFIER=ON or set "
                    "KML_BINVAL)";
  }
  const fs::path in =
      GetParam().starts_with("/") ? fs::path(GetParam()) : program(GetParam());
  if (!fs::exists(in)) {
    GTEST_SKIP() << in << " not present";
  }
  const ElfImage image(readBytes(in));
  const rewrite::RewriteResult result = rewrite::rewriteImage(image);
  TempDir dir;
  writeBytes(dir / "out", result.bytes);

  std::set<std::uint64_t> left;
  for (const auto &site : result.report.sites) {
    if (!site.rewritten) {
      left.insert(site.address);
    }
  }
  const auto objects = dataObjects(in);
  auto inData = [&](std::uint64_t a) {
    return std::ranges::any_of(
        objects, [a](const auto &o) { return a >= o.first && a < o.second; });
  };
  const Findings after = syscallFindings(*validator, dir / "out");
  std::set<std::uint64_t> found;
  for (std::uint64_t a : after.syscalls) {
    if (!inData(a)) {
      found.insert(a);
    }
  }
  // No stub fallback among the findings: every one is a left site.
  EXPECT_EQ(found, left);
  EXPECT_EQ(after.stubFallbacks, result.report.rewritten());
  // And before rewriting, the validator saw every site the report lists.
  std::set<std::uint64_t> all;
  for (const auto &site : result.report.sites) {
    all.insert(site.address);
  }
  std::set<std::uint64_t> before;
  for (std::uint64_t a : syscallFindings(*validator, in).syscalls) {
    if (!inData(a)) {
      before.insert(a);
    }
  }
  EXPECT_EQ(before, all);
}

INSTANTIATE_TEST_SUITE_P(Programs, ValidatorTest,
                         ::testing::Values("sites", "workload-glibc-static",
                                           "workload-glibc-static-pie",
                                           "threads-musl-static",
                                           "workload-glibc-static-stripped",
                                           "/bin/busybox"),
                         [](const auto &info) {
                           return paramName(fs::path(info.param).filename());
                         });

} // namespace
} // namespace kml::rwtest
