// Runs the real kml-vmrun binary against fake-qemu.sh scenarios: the runner
// must fail, with a message that says why, for every way a VM run can go
// wrong, and pass only the clean run.

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace {

struct RunResult {
  int exitCode = -1;
  std::string output;
};

// Runs a shell command and collects its output and exit code.
RunResult runCommand(const std::string &cmd) {
  class Pipe {
  public:
    explicit Pipe(const std::string &command)
        : file_(popen(command.c_str(), "r")) {}
    ~Pipe() { close(); }
    Pipe(const Pipe &) = delete;
    Pipe &operator=(const Pipe &) = delete;
    Pipe(Pipe &&) = delete;
    Pipe &operator=(Pipe &&) = delete;
    FILE *get() const { return file_; }
    int close() {
      const int status = file_ != nullptr ? pclose(file_) : -1;
      file_ = nullptr;
      return status;
    }

  private:
    FILE *file_;
  };

  RunResult result;
  Pipe pipe(cmd);
  if (pipe.get() == nullptr) {
    return result;
  }
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe.get())) > 0) {
    result.output.append(buf.data(), n);
  }
  const int status = pipe.close();
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

RunResult runScenario(const std::string &scenario,
                      const std::string &extra = "") {
  const std::string log =
      std::string(KML_TEST_TMPDIR) + "/vmrun-" + scenario + ".log";
  return runCommand(std::string(KML_VMRUN) + " --log " + log + " " + extra +
                    " --expect module_test -- " + KML_FAKE_QEMU + " " +
                    scenario + " 2>&1");
}

bool contains(const std::string &haystack, const std::string &needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(VmRun, CleanRunPasses) {
  const auto r = runScenario("pass");
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "vm: 2 passed, 0 failed")) << r.output;
}

TEST(VmRun, FailingGuestTestFailsTheRun) {
  const auto r = runScenario("failing-test");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "1 test(s) failed")) << r.output;
  // The guest lines that explain the failure are printed.
  EXPECT_TRUE(contains(r.output, "Expected 0 (0) == ret (-16)")) << r.output;
  EXPECT_TRUE(contains(r.output, "vm: 1 passed, 1 failed")) << r.output;
}

TEST(VmRun, KernelWarningFailsTheRun) {
  const auto r = runScenario("warn");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "FAIL: kernel WARNING: WARNING: CPU: 0"))
      << r.output;
}

TEST(VmRun, KasanReportFailsTheRun) {
  const auto r = runScenario("kasan");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "KASAN")) << r.output;
}

TEST(VmRun, HungGuestTimesOut) {
  const auto r = runScenario("hang", "--timeout 2");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "timed out after 2 s")) << r.output;
}

TEST(VmRun, MissingTestCaseFailsTheRun) {
  const auto r = runScenario("missing-test");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "1 of 3 planned tests reported no result"))
      << r.output;
}

TEST(VmRun, MissingTestBinaryFailsTheRun) {
  const auto r = runScenario("missing-binary", "--expect other_test");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "'other_test' never ran")) << r.output;
}

TEST(VmRun, GuestPanicMidTestFailsTheRun) {
  const auto r = runScenario("crash-mid-test");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "kernel panic")) << r.output;
  EXPECT_TRUE(contains(r.output, "did not finish")) << r.output;
}

TEST(VmRun, GuestThatDoesNotPowerOffFails) {
  // The power-off grace is 30 s; cap the whole run at 3 s instead.
  const auto r = runScenario("no-poweroff", "--timeout 3");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "did not power off")) << r.output;
}

TEST(VmRun, HostRequestIsTypedIntoTheMonitor) {
  const auto r = runScenario("host-request", "--verbose --qemu-monitor");
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_TRUE(contains(
      r.output, "fake-monitor: got 'mce 1 1 0xb000000000000000 0x4 0 0'"))
      << r.output;
}

TEST(VmRun, HostRequestWithoutMonitorFailsTheRun) {
  const auto r = runScenario("host-request");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "runs without --qemu-monitor")) << r.output;
}

TEST(VmRun, UnknownHostRequestFailsTheRun) {
  const auto r = runScenario("bad-host-request", "--qemu-monitor");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "unknown host request 'system_reset'"))
      << r.output;
}

TEST(VmRun, MissingQemuIsAClearError) {
  const auto r = runCommand(std::string(KML_VMRUN) +
                            " -- /nonexistent/qemu-system-x86_64 2>&1");
  EXPECT_EQ(r.exitCode, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "cannot start")) << r.output;
}

} // namespace
