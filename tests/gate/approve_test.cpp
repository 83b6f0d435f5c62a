// `kml approve`: what it writes to /sys/kernel/kml/approvals (a plain file
// in a stand-in directory here), and how it reports each refusal.

#include "gate_fixture.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace kml::test {
namespace {

class ApproveTest : public GateTest {
protected:
  void SetUp() override {
    GateTest::SetUp();
    sysfs_ = dir_ / "sysfs";
    fs::create_directory(sysfs_);
    approvals_ = sysfs_ / "approvals";
    writeBytes(approvals_, {}, kMode0644);
    // Any file will do: the kernel, not kml, checks what the list is.
    list_ = dir_ / "list";
    writeBytes(list_, {std::byte{0x30}}, kMode0644);
  }

  static RunResult approve(const std::vector<std::string> &args,
                           std::optional<uid_t> asUser = std::nullopt) {
    std::vector<std::string> argv{"approve"};
    argv.insert(argv.end(), args.begin(), args.end());
    return kml(argv, asUser);
  }

  [[nodiscard]] std::string written() const {
    const auto bytes = readBytes(approvals_);
    return {reinterpret_cast<const char *>(bytes.data()), bytes.size()};
  }

  fs::path sysfs_;
  fs::path approvals_;
  fs::path list_;
};

TEST_F(ApproveTest, WritesTheListsAbsolutePathAndANewline) {
  fs::create_directory(dir_ / "sub");
  const fs::path roundabout = dir_ / "sub" / ".." / "list";
  const RunResult result =
      approve({roundabout.string(), "--sysfs-dir", sysfs_.string()});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const std::string path = fs::canonical(list_).string();
  EXPECT_EQ(written(), path + "\n");
  EXPECT_EQ(result.out, path + ": loaded\n");
}

TEST_F(ApproveTest, ARelativePathIsMadeAbsolute) {
  // kml runs in this directory (support's run() keeps the working
  // directory), so a relative name must be resolved from it.
  const fs::path cwd = fs::current_path();
  const fs::path relative = fs::relative(list_, cwd);
  ASSERT_TRUE(relative.is_relative());
  ASSERT_EQ(
      approve({relative.string(), "--sysfs-dir", sysfs_.string()}).exitCode, 0);
  EXPECT_EQ(written(), fs::canonical(list_).string() + "\n");
}

TEST_F(ApproveTest, AMissingListFailsAndWritesNothing) {
  const RunResult result =
      approve({(dir_ / "missing").string(), "--sysfs-dir", sysfs_.string()});
  EXPECT_EQ(result.exitCode, 66);
  EXPECT_NE(result.err.find("cannot find the list: No such file"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(written(), "");
}

TEST_F(ApproveTest, NoApprovalsFileMeansKmlKoIsNotLoaded) {
  fs::remove(approvals_);
  const RunResult result =
      approve({list_.string(), "--sysfs-dir", sysfs_.string()});
  EXPECT_EQ(result.exitCode, 69);
  EXPECT_NE(result.err.find("does not exist: is kml.ko loaded?"),
            std::string::npos)
      << result.err;
  EXPECT_FALSE(fs::exists(approvals_));
}

// Root writes whatever the mode says, so as root kml runs as nobody (the
// directories made traversable for it).
TEST_F(ApproveTest, AnUnwritableApprovalsFileIsNotPermitted) {
  fs::permissions(approvals_, kMode0444);
  fs::permissions(dir_.path(), kMode0755);
  fs::permissions(sysfs_, kMode0755);
  const std::optional<uid_t> user =
      ::geteuid() == 0 ? std::optional<uid_t>(65534) : std::nullopt;
  const RunResult result =
      approve({list_.string(), "--sysfs-dir", sysfs_.string()}, user);
  if (result.exitCode == 126 || result.exitCode == 127) {
    GTEST_SKIP() << "cannot run kml as an unprivileged user here";
  }
  EXPECT_EQ(result.exitCode, 1) << result.err;
  EXPECT_NE(result.err.find("not permitted: loading a list needs root"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(written(), "");
}

TEST_F(ApproveTest, AWriteErrorTheContractDoesNotNameIsStrerror) {
  // /dev/full fails every write with ENOSPC, as a kernel could fail one.
  fs::remove(approvals_);
  fs::create_symlink("/dev/full", approvals_);
  const RunResult result =
      approve({list_.string(), "--sysfs-dir", sysfs_.string()});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.err.find("the kernel refused " +
                            fs::canonical(list_).string() + ": " +
                            std::strerror(ENOSPC)),
            std::string::npos)
      << result.err;
}

TEST_F(ApproveTest, ListPrintsTheLoadedListsVerbatim) {
  const std::string loaded = "/etc/kml/debian.list generation 3 entries 812\n"
                             "/etc/kml/local.list generation 1 entries 2\n";
  std::ofstream(approvals_) << loaded;
  const RunResult result = approve({"--list", "--sysfs-dir", sysfs_.string()});
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, loaded);
}

TEST_F(ApproveTest, ListAndAListFileTogetherAreAUsageError) {
  const RunResult result =
      approve({"--list", list_.string(), "--sysfs-dir", sysfs_.string()});
  EXPECT_EQ(result.exitCode, 64);
  EXPECT_EQ(written(), "");
}

} // namespace
} // namespace kml::test
