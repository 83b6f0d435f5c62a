// Debian's static busybox (busybox-static): a large real-world static
// binary, stripped, with several PT_NOTEs and PT_GNU_PROPERTY.

#include "support.hpp"

#include "kml/elf_image.hpp"

#include <gtest/gtest.h>

namespace kml::test {
namespace {

const fs::path kBusybox = "/bin/busybox";

class BusyboxTest : public ::testing::Test {
protected:
  void SetUp() override {
    if (!fs::exists(kBusybox)) {
      GTEST_SKIP() << "no /bin/busybox (apt-get install busybox-static)";
    }
    if (ElfImage(readBytes(kBusybox)).header().e_machine == 0) {
      GTEST_SKIP();
    }
    // The applet is picked from argv[0], so the copy keeps the name.
    fs::create_directory(dir_ / "bin");
    copyFile(kBusybox, busybox_);
  }
  TempDir dir_;
  fs::path busybox_ = dir_ / "bin" / "busybox";
};

TEST_F(BusyboxTest, MarkedBusyboxRunsApplets) {
  const RunResult mark = kml({"mark", busybox_.string()});
  ASSERT_EQ(mark.exitCode, 0) << mark.err;
  const RunResult inspect = kml({"inspect", busybox_.string()});
  EXPECT_NE(inspect.out.find("0x1 (enable)"), std::string::npos);

  const RunResult echo = run({busybox_.string(), "echo", "hi"});
  EXPECT_EQ(echo.exitCode, 0) << echo.err;
  EXPECT_EQ(echo.out, "hi\n");
  const RunResult sh = run({busybox_.string(), "sh", "-c", "echo $((1+2))"});
  EXPECT_EQ(sh.exitCode, 0) << sh.err;
  EXPECT_EQ(sh.out, "3\n");
  const RunResult fail = run({busybox_.string(), "sh", "-c", "exit 42"});
  EXPECT_EQ(fail.exitCode, 42);
}

TEST_F(BusyboxTest, StrippedAfterMarkingStillRuns) {
  ASSERT_EQ(kml({"mark", busybox_.string()}).exitCode, 0);
  ASSERT_EQ(run({KML_STRIP, busybox_.string()}).exitCode, 0);
  EXPECT_EQ(run({busybox_.string(), "sh", "-c", "echo $((1+2))"}).out, "3\n");
  EXPECT_NE(kml({"inspect", busybox_.string()}).out.find("0x1 (enable)"),
            std::string::npos);
}

TEST_F(BusyboxTest, DisableEnableRoundTrip) {
  ASSERT_EQ(kml({"mark", busybox_.string()}).exitCode, 0);
  const auto marked = readBytes(busybox_);
  ASSERT_EQ(kml({"disable", busybox_.string()}).exitCode, 0);
  EXPECT_EQ(differingOffsets(marked, readBytes(busybox_)).size(), 1U);
  EXPECT_EQ(run({busybox_.string(), "echo", "hi"}).out, "hi\n");
  ASSERT_EQ(kml({"enable", busybox_.string()}).exitCode, 0);
  EXPECT_EQ(readBytes(busybox_), marked);
}

} // namespace
} // namespace kml::test
