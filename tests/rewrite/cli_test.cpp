// `kml rewrite` on the command line: usage, refusals with the exit codes
// of `kml mark`, the input left alone, in-place rewriting, reports.

#include "kml/testing/file_modes.hpp"
#include "support.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <elf.h>
#include <string>
#include <sys/stat.h>

namespace kml::rwtest {
namespace {

// Identity and content of a file, to prove a command left it alone.
struct Snapshot {
  ino_t inode = 0;
  std::vector<std::byte> bytes;
  bool operator==(const Snapshot &) const = default;
};

Snapshot snapshot(const fs::path &path) {
  struct stat st = {};
  stat(path.c_str(), &st);
  return {st.st_ino, readBytes(path)};
}

TEST(RewriteCli, UsageErrors) {
  EXPECT_EQ(kml({"rewrite"}).exitCode, 64);
  EXPECT_EQ(kml({"rewrite", program("sites").string()}).exitCode, 64);
  EXPECT_EQ(kml({"rewrite", "a", "b", "-o", "c"}).exitCode, 64);
  EXPECT_EQ(kml({"rewrite", "--bogus", "a", "-o", "c"}).exitCode, 64);
}

TEST(RewriteCli, DynamicProgramIsRefused) {
  TempDir dir;
  const RunResult r = kml(
      {"rewrite", program("dynamic").string(), "-o", (dir / "out").string()});
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("kml run"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
}

TEST(RewriteCli, MalformedAndMissingInputs) {
  TempDir dir;
  const auto bytes = readBytes(program("sites"));
  // Truncated in the middle of the program headers.
  writeBytes(dir / "truncated", {bytes.begin(), bytes.begin() + 100});
  EXPECT_EQ(kml({"rewrite", (dir / "truncated").string(), "-o",
                 (dir / "out").string()})
                .exitCode,
            65);
  writeBytes(dir / "text", {std::byte{'h'}, std::byte{'i'}});
  EXPECT_EQ(
      kml({"rewrite", (dir / "text").string(), "-o", (dir / "out").string()})
          .exitCode,
      65);
  EXPECT_EQ(
      kml({"rewrite", (dir / "missing").string(), "-o", (dir / "out").string()})
          .exitCode,
      66);
  EXPECT_FALSE(fs::exists(dir / "out"));
}

TEST(RewriteCli, OtherMachinesAndNonExecutablesAreRefused) {
  TempDir dir;
  auto bytes = readBytes(program("sites"));
  bytes[18] = std::byte{3}; // e_machine = EM_386
  bytes[19] = std::byte{0};
  writeBytes(dir / "i386", bytes);
  const RunResult machine =
      kml({"rewrite", (dir / "i386").string(), "-o", (dir / "out").string()});
  EXPECT_EQ(machine.exitCode, 1) << machine.err;
  bytes = readBytes(program("sites"));
  bytes[16] = std::byte{ET_REL};
  writeBytes(dir / "object", bytes);
  EXPECT_EQ(
      kml({"rewrite", (dir / "object").string(), "-o", (dir / "out").string()})
          .exitCode,
      1);
  EXPECT_FALSE(fs::exists(dir / "out"));
}

TEST(RewriteCli, AlreadyRewrittenIsRefused) {
  TempDir dir;
  ASSERT_EQ(kml({"rewrite", program("sites").string(), "-o",
                 (dir / "once").string(), "-q"})
                .exitCode,
            0);
  const RunResult again =
      kml({"rewrite", (dir / "once").string(), "-o", (dir / "twice").string()});
  EXPECT_EQ(again.exitCode, 1);
  EXPECT_NE(again.err.find("already rewritten"), std::string::npos)
      << again.err;
}

TEST(RewriteCli, InputIsNeverModified) {
  TempDir dir;
  fs::copy_file(program("workload-glibc-static"), dir / "in");
  const Snapshot before = snapshot(dir / "in");
  ASSERT_EQ(
      kml({"rewrite", (dir / "in").string(), "-o", (dir / "out").string()})
          .exitCode,
      0);
  EXPECT_EQ(snapshot(dir / "in"), before);
  EXPECT_NE(readBytes(dir / "out"), before.bytes);
}

TEST(RewriteCli, InPlaceReplacesTheFileAtomically) {
  TempDir dir;
  fs::copy_file(program("hello-glibc-static"), dir / "prog");
  fs::permissions(dir / "prog", kml::testing::kMode0750);
  const Snapshot before = snapshot(dir / "prog");
  ASSERT_EQ(kml({"rewrite", (dir / "prog").string(), "-o",
                 (dir / "prog").string(), "-q"})
                .exitCode,
            0);
  const Snapshot after = snapshot(dir / "prog");
  EXPECT_NE(after.inode, before.inode); // renamed over, not written into
  EXPECT_NE(after.bytes, before.bytes);
  EXPECT_EQ(fs::status(dir / "prog").permissions(), kml::testing::kMode0750);
  EXPECT_EQ(run({(dir / "prog").string(), "x"}).exitCode, 3);
}

TEST(RewriteCli, ReportsCountsAndReasons) {
  const RunResult text =
      kml({"rewrite", program("sites").string(), "--dry-run"});
  EXPECT_EQ(text.exitCode, 0);
  EXPECT_NE(text.out.find("11 syscall sites, 8 rewritten"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("1 x branch target inside the replaced range"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find(": 6 hlt, 2 made a trap (0x06, SIGILL)\n"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find(": outside every function symbol\n"),
            std::string::npos)
      << text.out;
  const RunResult json =
      kml({"rewrite", program("sites").string(), "--dry-run", "--json"});
  EXPECT_EQ(json.exitCode, 0);
  EXPECT_NE(json.out.find("\"found\":11,\"rewritten\":8,\"left\":3"),
            std::string::npos)
      << json.out;
  EXPECT_NE(json.out.find("\"replaced\":false,\"reason\":\"near-undecodable\","
                          "\"reason_text\":\"near bytes that do not "
                          "decode\"}]}"),
            std::string::npos)
      << json.out;
  EXPECT_NE(json.out.find("\"left_by_reason\":{"), std::string::npos)
      << json.out;
  EXPECT_NE(json.out.find("\"branch-target-inside\":1"), std::string::npos)
      << json.out;
}

TEST(RewriteCli, HelpListsRewrite) {
  const RunResult help = kml({"--help"});
  EXPECT_NE(help.out.find("rewrite"), std::string::npos) << help.out;
}

} // namespace
} // namespace kml::rwtest

namespace kml::rwtest {
namespace {

// The helper every test runs programs with: a child that exits before it
// reads its input fails the helper's writes, not the test (SIGPIPE).
TEST(RunHelper, AChildThatLeavesItsInputUnreadDoesNotKillTheTest) {
  const RunResult result = run({"/bin/true"}, std::string(1 << 22, 'x'));
  EXPECT_EQ(result.exitCode, 0);
}

// ...and the child has SIGPIPE's default action, as it would anywhere.
TEST(RunHelper, TheChildDoesNotIgnoreSigpipe) {
  const RunResult result = shell("grep SigIgn /proc/self/status");
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const std::string mask = result.out.substr(result.out.find(':') + 1);
  const unsigned long long ignored = std::stoull(mask, nullptr, 16);
  EXPECT_EQ(ignored & (1ULL << (SIGPIPE - 1)), 0U) << result.out;
}

} // namespace
} // namespace kml::rwtest
