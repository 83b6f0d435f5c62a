// The site classes of programs/sites.S, checked through the library: what
// is rewritten, with which neighbours, what is left and why, and that the
// program still runs (natively, and through the test entry that takes the
// stubs' direct and restart paths).

#include "support.hpp"

#include "kml/elf_error.hpp"
#include "kml/elf_image.hpp"
#include "kml/rewrite/rewriter.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <vector>

namespace kml::rwtest {
namespace {

using rewrite::RewriteReport;
using rewrite::SiteOutcome;

// Address of a symbol of the test program, from `nm`.
std::uint64_t symbolAddress(const std::string &name) {
  const RunResult nm = run({"/usr/bin/nm", program("sites").string()});
  std::istringstream lines(nm.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() > 19 && line.substr(19) == name) {
      return std::stoull(line.substr(0, 16), nullptr, 16);
    }
  }
  ADD_FAILURE() << "no symbol " << name;
  return 0;
}

class SitesTest : public ::testing::Test {
protected:
  void SetUp() override {
    input_ = readBytes(program("sites"));
    result_ = rewrite::rewriteImage(ElfImage(input_));
  }
  const SiteOutcome *site(const std::string &label) const {
    const std::uint64_t start = symbolAddress(label);
    for (const SiteOutcome &s : result_.report.sites) {
      if (s.address >= start && s.address < start + 16) {
        return &s;
      }
    }
    return nullptr;
  }
  std::vector<std::byte> input_; // the program before rewriting
  rewrite::RewriteResult result_;
};

TEST_F(SitesTest, FindsEverySyscallInstructionAndNothingElse) {
  // site_mov, site_other, getpid_after, site_target, site_redzone,
  // site_regs, site_riprel, site_exit, the one in `fail`, endbr_getpid,
  // and the one in the gap.
  EXPECT_EQ(result_.report.found(), 11u);
  EXPECT_EQ(result_.report.rewritten(), 8u);
}

TEST_F(SitesTest, MovPlusSyscallMovesTheMov) {
  const SiteOutcome *s = site("site_mov");
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->rewritten);
  EXPECT_EQ(s->rangeStart, symbolAddress("site_mov"));
  EXPECT_EQ(s->rangeEnd, s->address + 2);
  EXPECT_EQ(s->number, 1u);
}

TEST_F(SitesTest, OtherPrecedingInstructionMoves) {
  const SiteOutcome *s = site("site_other");
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->rewritten);
  EXPECT_EQ(s->rangeStart, symbolAddress("site_other")); // mov %r12,%rax
  EXPECT_EQ(s->rangeEnd, s->address + 2);
}

TEST_F(SitesTest, RipRelativeNeighbourMoves) {
  const SiteOutcome *s = site("site_riprel");
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->rewritten);
  EXPECT_EQ(s->rangeStart, symbolAddress("site_riprel"));
  EXPECT_EQ(s->rangeEnd, s->address + 2);
}

TEST_F(SitesTest, FollowingInstructionsMoveWhenNothingBeforeCan) {
  const SiteOutcome *s = site("getpid_after");
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->rewritten);
  EXPECT_EQ(s->rangeStart, s->address); // the function start itself
  EXPECT_GT(s->rangeEnd, s->address + 2);
}

TEST_F(SitesTest, BranchTargetInsideTheRangeLeavesTheSite) {
  const SiteOutcome *s = site("site_target");
  ASSERT_NE(s, nullptr);
  EXPECT_FALSE(s->rewritten);
  EXPECT_EQ(s->reason, rewrite::LeaveReason::BranchTargetInside);
  // Its bytes are unchanged.
  const auto &in = input_;
  const auto &out = result_.bytes;
  const std::uint64_t offset = s->address - 0x400000; // ET_EXEC, one-to-one
  ASSERT_LT(offset + 2, in.size());
  EXPECT_EQ(std::memcmp(in.data() + offset - 5, out.data() + offset - 5, 7), 0);
}

TEST_F(SitesTest, SyscallBytesInImmediatesAndDataAreNotSites) {
  const std::uint64_t imm = symbolAddress("imm_0f05");
  const std::uint64_t data = symbolAddress("data_0f05");
  for (const SiteOutcome &s : result_.report.sites) {
    EXPECT_FALSE(s.address > imm && s.address < imm + 5);
    EXPECT_FALSE(s.address >= data && s.address < data + 4);
  }
  // And their bytes are untouched.
  for (std::uint64_t a : {imm, data}) {
    const std::uint64_t offset = a - 0x400000;
    EXPECT_EQ(
        std::memcmp(input_.data() + offset, result_.bytes.data() + offset, 4),
        0);
  }
}

TEST_F(SitesTest, DataObjectsInCodeAreNeitherDecodedNorTouched) {
  const std::uint64_t table = symbolAddress("table_in_text");
  for (const SiteOutcome &s : result_.report.sites) {
    EXPECT_FALSE(s.address >= table && s.address < table + 8);
  }
  const std::uint64_t offset = table - 0x400000;
  EXPECT_EQ(
      std::memcmp(input_.data() + offset, result_.bytes.data() + offset, 8), 0);
}

TEST_F(SitesTest, EndbrLandingPadsDoNotMove) {
  const SiteOutcome *s = site("endbr_getpid");
  ASSERT_NE(s, nullptr);
  EXPECT_FALSE(s->rewritten);
  EXPECT_EQ(s->reason, rewrite::LeaveReason::NeighbourIsLandingPad);
}

TEST_F(SitesTest, CodeBetweenSizedFunctionsIsLeftAlone) {
  // The syscall is the last instruction before after_gap.
  const std::uint64_t at = symbolAddress("after_gap") - 2;
  const auto &sites = result_.report.sites;
  const auto s = std::ranges::find(sites, at, &SiteOutcome::address);
  ASSERT_NE(s, sites.end());
  EXPECT_FALSE(s->rewritten);
  EXPECT_EQ(s->reason, rewrite::LeaveReason::OutsideFunctions);
}

// The byte at address in the rewritten file (ET_EXEC, one-to-one).
std::uint8_t byteAt(std::span<const std::byte> bytes, std::uint64_t a) {
  if (a < 0x400000 || a - 0x400000 >= bytes.size()) {
    ADD_FAILURE() << "address out of the file";
    return 0;
  }
  return std::to_integer<std::uint8_t>(bytes[a - 0x400000]);
}

// The hlt the report lists at \p address, or nullptr.
const rewrite::HaltOutcome *haltAt(const RewriteReport &report,
                                   std::uint64_t address) {
  const auto h =
      std::ranges::find(report.halts, address, &rewrite::HaltOutcome::address);
  return h == report.halts.end() ? nullptr : &*h;
}

TEST_F(SitesTest, EveryHltControlReachesBecomesATrap) {
  EXPECT_EQ(result_.report.halts.size(), 6U);
  EXPECT_EQ(result_.report.haltsReplaced(), 2U);
  for (const char *label : {"halt_after_exit", "halt_function"}) {
    const std::uint64_t at = symbolAddress(label);
    const rewrite::HaltOutcome *h = haltAt(result_.report, at);
    ASSERT_NE(h, nullptr) << label;
    EXPECT_TRUE(h->replaced) << label;
    EXPECT_EQ(byteAt(input_, at), 0xf4) << label;
    EXPECT_EQ(byteAt(result_.bytes, at), 0x06) << label;
  }
  // The exit site next to the hlt was rewritten without moving it.
  const SiteOutcome *exit = site("fail");
  ASSERT_NE(exit, nullptr);
  EXPECT_TRUE(exit->rewritten);
  EXPECT_LE(exit->rangeEnd, symbolAddress("halt_after_exit"));
}

// Each 0xf4 that may not be a hlt control reaches stays as it is, with
// its reason.
TEST_F(SitesTest, HltThatMayBeDataIsLeftWithItsReason) {
  const auto gap = std::ranges::find_if(
      result_.report.halts, [&](const rewrite::HaltOutcome &h) {
        return h.address > symbolAddress("halt_function") &&
               h.address < symbolAddress("after_gap");
      });
  ASSERT_NE(gap, result_.report.halts.end());
  using rewrite::LeaveReason;
  const std::pair<std::uint64_t, LeaveReason> cases[] = {
      {gap->address, LeaveReason::OutsideFunctions},
      {symbolAddress("halt_data") + 8, LeaveReason::NamedAsData},
      {symbolAddress("halt_unreached") + 1, LeaveReason::UnreachedByFlow},
      {symbolAddress("halt_undecodable") + 2, LeaveReason::NearUndecodable},
  };
  for (const auto &[address, reason] : cases) {
    const char *name = rewrite::leaveReasonName(reason);
    const rewrite::HaltOutcome *h = haltAt(result_.report, address);
    ASSERT_NE(h, nullptr) << name;
    EXPECT_FALSE(h->replaced) << name;
    EXPECT_EQ(h->reason, reason) << rewrite::leaveReasonName(h->reason);
    EXPECT_EQ(byteAt(result_.bytes, address), 0xf4) << name;
  }
  // mov $0xf4f4f4f4,%ecx is b9 f4 f4 f4 f4: not a hlt, not touched.
  const std::uint64_t imm = symbolAddress("imm_f4");
  for (std::uint64_t a = imm + 1; a < imm + 5; ++a) {
    EXPECT_EQ(byteAt(result_.bytes, a), 0xf4);
    EXPECT_EQ(haltAt(result_.report, a), nullptr);
  }
}

TEST_F(SitesTest, ResultIsMarkedEnabled) {
  const ElfImage out(result_.bytes);
  const auto &marker = out.marker();
  // Not ASSERT_TRUE: clang-tidy 19 does not see that it returns.
  if (!marker) {
    FAIL() << "the rewritten program has no marker";
  }
  EXPECT_TRUE(marker->enabled());
}

class SitesRunTest : public ::testing::TestWithParam<bool> {};

TEST_P(SitesRunTest, RedZoneRegistersAndFlagsSurvive) {
  TempDir dir;
  const fs::path out = dir / "sites";
  std::vector<std::string> args{"rewrite", program("sites").string(), "-o",
                                out.string(), "--quiet"};
  if (GetParam()) {
    args.emplace_back("--test-entry");
  }
  ASSERT_EQ(kml(args).exitCode, 0);
  const RunResult original = run({program("sites").string()});
  const RunResult rewritten = run({out.string()});
  EXPECT_EQ(original.exitCode, 0);
  EXPECT_EQ(rewritten, original);
}

INSTANTIATE_TEST_SUITE_P(Paths, SitesRunTest, ::testing::Bool(),
                         [](const auto &info) {
                           return info.param ? "direct" : "native";
                         });

} // namespace
} // namespace kml::rwtest

namespace kml::rwtest {
namespace {

// Corrupted inputs (random bytes overwritten anywhere in the file) are
// refused with an ElfError or rewritten; never a crash or another
// exception. Deterministic seed, so a failure reproduces.
TEST(RewriteRobustness, CorruptedInputsNeverCrash) {
  const std::vector<std::byte> good = readBytes(program("sites"));
  std::uint32_t state = 12345;
  auto next = [&state] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  int refused = 0;
  int rewritten = 0;
  for (int round = 0; round < 300; ++round) {
    std::vector<std::byte> bytes = good;
    const int flips = 1 + static_cast<int>(next() % 8);
    for (int i = 0; i < flips; ++i) {
      // Mostly the headers, where damage matters most.
      const std::size_t limit = next() % 2 ? 512 : bytes.size();
      bytes[next() % limit] = static_cast<std::byte>(next());
    }
    try {
      const ElfImage image(std::move(bytes));
      (void)rewrite::rewriteImage(image);
      ++rewritten;
    } catch (const ElfError &) {
      ++refused; // the other correct answer to a damaged file
    }
  }
  // The damage reaches both answers: some files are refused, and some
  // still rewritten.
  EXPECT_GT(refused, 0);
  EXPECT_GT(rewritten, 0);
}

// The report's reasons are a table: a stable name for tools, a sentence
// for people, one each.
TEST(LeaveReasons, EachHasItsOwnNameAndSentence) {
  using rewrite::LeaveReason;
  std::set<std::string> names;
  std::set<std::string> texts;
  const auto last = static_cast<int>(LeaveReason::UnreachedByFlow);
  for (int i = 1; i <= last; ++i) {
    const auto reason = static_cast<LeaveReason>(i);
    const std::string name = rewrite::leaveReasonName(reason);
    const std::string text = rewrite::leaveReasonText(reason);
    EXPECT_FALSE(name.empty()) << i;
    EXPECT_FALSE(text.empty()) << name;
    EXPECT_EQ(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-"),
              std::string::npos)
        << name;
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_TRUE(texts.insert(text).second) << text;
  }
  EXPECT_EQ(names.size(), static_cast<std::size_t>(last));
  EXPECT_STREQ(rewrite::leaveReasonText(LeaveReason::None), "");
}

} // namespace
} // namespace kml::rwtest
