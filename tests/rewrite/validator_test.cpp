// The binary validator's view of a rewritten program agrees with the
// rewriter's report: the `syscall`s it finds (KML-B001) are exactly the
// sites the report says were left, less the rt_sigreturn trampoline, which
// it accepts and counts; the `hlt`s it finds (KML-B008) are exactly the
// ones the report says were left, none. Each stub's fallback `syscall`
// (CPL 3 only, never executed while the entry slot is set) is recognised
// by its shape and accepted, so none is reported, and the validator's
// summary counts one accepted fallback per rewritten site.

#include "support.hpp"

#include "kml/elf_image.hpp"
#include "kml/rewrite/rewriter.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>

namespace kml::rwtest {
namespace {

struct Findings {
  std::set<std::uint64_t> syscalls;
  std::set<std::uint64_t> halts;
  std::size_t stubFallbacks = 0; // from the summary line
  std::size_t trampolines = 0;   // likewise
};

// The count just before `what` in line ("..., 100 rewriter stub fallbacks
// accepted"), if line has it.
std::optional<std::size_t> countBefore(const std::string &line,
                                       std::string_view what) {
  const auto at = line.rfind(what);
  if (at == std::string::npos || at == 0) {
    return std::nullopt;
  }
  const auto start = line.rfind(' ', at - 1);
  return std::stoull(line.substr(start + 1, at - start - 1));
}

Findings syscallFindings(const fs::path &validator, const fs::path &file) {
  const RunResult r = run({validator.string(), file.string()});
  Findings f;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(" findings, ") != std::string::npos) {
      f.stubFallbacks =
          countBefore(line, " rewriter stub fallbacks").value_or(0);
      f.trampolines =
          countBefore(line, " rt_sigreturn trampolines").value_or(0);
      continue;
    }
    const auto at = line.find(":0x");
    if (at == std::string::npos) {
      continue;
    }
    if (line.find(": KML-B001:", at) != std::string::npos) {
      f.syscalls.insert(std::stoull(line.substr(at + 1), nullptr, 16));
    } else if (line.find(": KML-B008:", at) != std::string::npos) {
      f.halts.insert(std::stoull(line.substr(at + 1), nullptr, 16));
    }
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
    std::string num;
    std::string value;
    std::string size;
    std::string type;
    fields >> num >> value >> size >> type;
    if (type == "OBJECT" && size != "0") {
      try {
        const std::uint64_t start = std::stoull(value, nullptr, 16);
        objects.emplace_back(start, start + std::stoull(size, nullptr, 0));
      } catch (const std::exception &) {
        continue; // not a symbol's row after all: nothing to record
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
  std::set<std::uint64_t> trampolines;
  for (const auto &site : result.report.sites) {
    if (site.rewritten) {
      continue;
    }
    if (site.reason == rewrite::LeaveReason::SigreturnTrampoline) {
      trampolines.insert(site.address);
    } else {
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
  EXPECT_EQ(after.trampolines, trampolines.size());
  // Every hlt became an int3: the validator finds no hlt the rewriter
  // says it replaced, and the report found the hlts it found before.
  std::set<std::uint64_t> haltsLeft;
  std::set<std::uint64_t> haltsAll;
  for (const auto &halt : result.report.halts) {
    haltsAll.insert(halt.address);
    if (!halt.replaced) {
      haltsLeft.insert(halt.address);
    }
  }
  auto outsideData = [&](const std::set<std::uint64_t> &addresses) {
    std::set<std::uint64_t> code;
    std::ranges::copy_if(addresses, std::inserter(code, code.end()),
                         [&](std::uint64_t a) { return !inData(a); });
    return code;
  };
  EXPECT_EQ(outsideData(after.halts), haltsLeft);
  EXPECT_EQ(outsideData(syscallFindings(*validator, in).halts), haltsAll);
  if (GetParam() != "sites") { // libc's crash paths; sites.S has none
    EXPECT_FALSE(haltsAll.empty());
  }
  // And before rewriting, the validator saw every site the report lists
  // but the trampolines, which it accepts there too.
  std::set<std::uint64_t> all;
  for (const auto &site : result.report.sites) {
    if (!trampolines.contains(site.address)) {
      all.insert(site.address);
    }
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
