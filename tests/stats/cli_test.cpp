// `kml stats` against a fake /sys/kernel/kml/programs (KML_SYSFS_DIR): the
// table, one PID, and `-- CMD` with a fake command that "execs" ring-0
// programs by appending their lines to the fake file.

#include "kml/testing/file_modes.hpp"
#include "kml/testing/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

extern char **environ; // NOLINT(readability-redundant-declaration)

namespace kml::stats {
namespace {

namespace fs = std::filesystem;
using kml::testing::TempDir;

constexpr int kExitNoCounters = 2;

const std::string kRunning =
    "seq=17 pid=1234 state=running direct=1500 bypass=0 slow=3 elsewhere=0 "
    "sites=0x401a2c:2,0x40ff10:1 comm=busybox";
const std::string kExited = "seq=16 pid=1200 state=exited direct=100 "
                            "bypass=0 slow=0 elsewhere=0 sites=- comm=sh";

struct RunResult {
  int exitCode = -1; // 128 + signal if killed
  std::string out;
  std::string err;
};

std::string slurp(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void writeText(const fs::path &path, const std::string &text,
               fs::perms perms = kml::testing::kMode0644) {
  std::ofstream(path, std::ios::binary) << text;
  fs::permissions(path, perms);
}

// Runs kml with `args`, KML_SYSFS_DIR set to `sysfs` (unset if empty),
// stdout and stderr captured through files (no pipe to fill up).
RunResult kml(const std::vector<std::string> &args, const fs::path &sysfs) {
  const TempDir capture;
  std::vector<std::string> argv{KML_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char *> cargv;
  cargv.reserve(argv.size() + 1);
  for (std::string &arg : argv) {
    cargv.push_back(arg.data());
  }
  cargv.push_back(nullptr);
  std::vector<std::string> env;
  for (char **e = environ; *e != nullptr; ++e) {
    if (!std::string_view(*e).starts_with("KML_SYSFS_DIR=")) {
      env.emplace_back(*e);
    }
  }
  if (!sysfs.empty()) {
    env.push_back("KML_SYSFS_DIR=" + sysfs.string());
  }
  std::vector<char *> cenv;
  cenv.reserve(env.size() + 1);
  for (std::string &entry : env) {
    cenv.push_back(entry.data());
  }
  cenv.push_back(nullptr);

  const std::string outPath = (capture / "out").string();
  const std::string errPath = (capture / "err").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, outPath.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, errPath.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int rc =
      posix_spawn(&pid, cargv[0], &actions, nullptr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw std::runtime_error("cannot run " + argv[0]);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) {
    throw std::runtime_error("waitpid failed");
  }
  RunResult result;
  result.exitCode =
      WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  result.out = slurp(outPath);
  result.err = slurp(errPath);
  return result;
}

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

class StatsCli : public ::testing::Test {
protected:
  void SetUp() override {
    writeText(programs(), kRunning + "\n" + kExited + "\n");
    // The fake command: appends each argument after the first as a line
    // of the programs file (a ring-0 program it exec'd), prints to
    // stdout, and exits with the first argument.
    writeText(fakeCmd(),
              "#!/bin/sh\n"
              "status=$1; shift\n"
              "for line in \"$@\"; do\n"
              "  printf '%s\\n' \"$line\" >> \"$KML_SYSFS_DIR/programs\"\n"
              "done\n"
              "echo 'output of the command'\n"
              "exit \"$status\"\n",
              kml::testing::kMode0755);
  }
  [[nodiscard]] fs::path programs() const { return dir_ / "programs"; }
  [[nodiscard]] fs::path fakeCmd() const { return dir_ / "fake-cmd"; }
  [[nodiscard]] RunResult stats(const std::vector<std::string> &args) const {
    std::vector<std::string> all{"stats"};
    all.insert(all.end(), args.begin(), args.end());
    return kml(all, dir_.path());
  }
  // `kml stats [options] -- fake-cmd STATUS LINES...`
  [[nodiscard]] RunResult runFake(const std::vector<std::string> &options,
                                  int status,
                                  const std::vector<std::string> &lines) const {
    std::vector<std::string> args = options;
    args.insert(args.end(), {"--", fakeCmd().string(), std::to_string(status)});
    args.insert(args.end(), lines.begin(), lines.end());
    return stats(args);
  }
  TempDir dir_;
};

TEST_F(StatsCli, TableOfAllPrograms) {
  const RunResult got = stats({});
  EXPECT_EQ(got.exitCode, 0) << got.err;
  EXPECT_EQ(got.err, "");
  EXPECT_EQ(
      got.out,
      "SEQ   PID  STATE    CALLS  DIRECT  BYPASS  SLOW  DIRECT%  COMM\n"
      " 17  1234  running   1503    1500       0     3   99.80%  busybox\n"
      " 16  1200  exited     100     100       0     0  100.00%  sh\n");
}

TEST_F(StatsCli, TableWithoutPrograms) {
  writeText(programs(), "");
  const RunResult got = stats({});
  EXPECT_EQ(got.exitCode, 0);
  EXPECT_EQ(got.out, "no ring-0 program is running or has exited recently\n");
}

TEST_F(StatsCli, OneProgramByPid) {
  const RunResult running = stats({"1234"});
  EXPECT_EQ(running.exitCode, 0) << running.err;
  EXPECT_EQ(running.out,
            "program 17 (pid 1234, running) busybox: 1503 calls, 1500 "
            "direct, 0 bypass, 3 slow: 99.80% direct\n"
            "  slow site 0x401a2c: 2 calls\n"
            "  slow site 0x40ff10: 1 calls\n");
  const RunResult exited = stats({"1200"});
  EXPECT_EQ(exited.exitCode, 0) << exited.err;
  EXPECT_EQ(exited.out, "program 16 (pid 1200, exited) sh: 100 calls, 100 "
                        "direct, 0 bypass, 0 slow: 100.00% direct\n");
}

TEST_F(StatsCli, UnknownPid) {
  const RunResult got = stats({"999"});
  EXPECT_EQ(got.exitCode, 1);
  EXPECT_EQ(got.out, "");
  EXPECT_EQ(got.err, "kml stats: no ring-0 program with pid 999 (running "
                     "or among the recently exited)\n");
}

TEST_F(StatsCli, MissingFile) {
  const fs::path none = dir_ / "none";
  const RunResult got = kml({"stats"}, none);
  EXPECT_EQ(got.exitCode, kExitNoCounters);
  EXPECT_EQ(got.err, "kml stats: " + (none / "programs").string() +
                         ": No such file or directory (is kml.ko loaded, "
                         "version with per-program counters?)\n");
  // -- CMD does not run the command without counters to compare.
  const RunResult run = kml({"stats", "--", fakeCmd().string(), "0"}, none);
  EXPECT_EQ(run.exitCode, kExitNoCounters);
  EXPECT_EQ(run.out, "");
}

TEST_F(StatsCli, DefaultDirectory) {
  if (fs::exists("/sys/kernel/kml/programs")) {
    GTEST_SKIP() << "this machine has kml.ko loaded";
  }
  const RunResult got = kml({"stats"}, {});
  EXPECT_EQ(got.exitCode, kExitNoCounters);
  EXPECT_EQ(got.err,
            "kml stats: /sys/kernel/kml/programs: No such file or directory "
            "(is kml.ko loaded, version with per-program counters?)\n");
}

TEST_F(StatsCli, MalformedFileNamesTheLine) {
  writeText(programs(), kRunning + "\nseq=oops\n");
  const RunResult got = stats({});
  EXPECT_EQ(got.exitCode, 65);
  EXPECT_EQ(got.err,
            "kml stats: " + programs().string() + ": line 2: bad seq 'oops'\n");
}

TEST_F(StatsCli, CommandReportGoesToStderr) {
  const RunResult got =
      runFake({}, 0,
              {"seq=18 pid=1300 state=exited direct=990 bypass=5 slow=5 "
               "elsewhere=1 sites=0x401000:4 comm=app one",
               "seq=19 pid=1301 state=running direct=10 bypass=0 slow=0 "
               "elsewhere=0 sites=- new=key comm=app2"});
  EXPECT_EQ(got.exitCode, 0) << got.err;
  EXPECT_EQ(got.out, "output of the command\n") << "stdout stays CMD's";
  EXPECT_EQ(got.err,
            "program 18 (pid 1300, exited) app one: 1000 calls, 990 direct, "
            "5 bypass, 5 slow: 99.50% direct\n"
            "  slow site 0x401000: 4 calls\n"
            "  slow elsewhere (beyond the listed sites): 1 calls\n"
            "program 19 (pid 1301, running) app2: 10 calls, 10 direct, 0 "
            "bypass, 0 slow: 100.00% direct\n"
            "total: 1010 calls, 1000 direct, 5 bypass, 5 slow: 99.50% "
            "direct\n");
}

TEST_F(StatsCli, ProgramsFromBeforeAreLeftOut) {
  // The file lists newest first; only seq > 17 (the highest before) is new.
  const RunResult got =
      runFake({}, 0,
              {"seq=18 pid=1 state=exited direct=1 bypass=0 slow=0 "
               "elsewhere=0 sites=- comm=new"});
  EXPECT_TRUE(contains(got.err, "program 18 ")) << got.err;
  EXPECT_FALSE(contains(got.err, "busybox")) << got.err;
  EXPECT_FALSE(contains(got.err, " sh:")) << got.err;
}

TEST_F(StatsCli, RequireDirectPasses) {
  const RunResult got =
      runFake({"--require-direct=99.5"}, 0,
              {"seq=18 pid=1300 state=exited direct=995 bypass=0 slow=5 "
               "elsewhere=0 sites=0x401000:5 comm=app"});
  EXPECT_EQ(got.exitCode, 0) << got.err;
  EXPECT_TRUE(contains(got.err, "total: 1000 calls, 995 direct, 0 bypass, "
                                "5 slow: 99.50% direct\n"))
      << got.err;
}

TEST_F(StatsCli, RequireDirectFails) {
  const std::string line = "seq=18 pid=1300 state=exited direct=990 bypass=0 "
                           "slow=10 elsewhere=0 sites=0x401000:10 comm=app";
  for (const std::vector<std::string> &option :
       {std::vector<std::string>{"--require-direct=99.5"},
        std::vector<std::string>{"--require-direct", "99.5"}}) {
    writeText(programs(), kRunning + "\n"); // each run starts afresh
    const RunResult got = runFake(option, 0, {line});
    EXPECT_EQ(got.exitCode, 1);
    EXPECT_EQ(got.out, "output of the command\n");
    EXPECT_TRUE(contains(got.err, "kml stats: only 99.00% of 1000 calls took "
                                  "the direct path (required 99.5%)\n"))
        << got.err;
  }
}

TEST_F(StatsCli, CommandStatusWins) {
  const std::string poor = "seq=18 pid=1 state=exited direct=0 bypass=0 "
                           "slow=10 elsewhere=0 sites=- comm=app";
  EXPECT_EQ(runFake({}, 3, {poor}).exitCode, 3);
  writeText(programs(), kRunning + "\n");
  const RunResult got = runFake({"--require-direct=90"}, 5, {poor});
  EXPECT_EQ(got.exitCode, 5) << "CMD's failure, not the coverage's";
  EXPECT_TRUE(contains(got.err, "kml stats: only 0.00%")) << got.err;
}

TEST_F(StatsCli, KilledCommand) {
  const RunResult got = stats({"--", "/bin/sh", "-c", "kill -TERM $$"});
  EXPECT_EQ(got.exitCode, 128 + 15);
  EXPECT_TRUE(contains(got.err, "kml stats: no ring-0 program ran\n"));
}

TEST_F(StatsCli, NoRingZeroProgramRan) {
  const RunResult plain = runFake({}, 0, {});
  EXPECT_EQ(plain.exitCode, 0);
  EXPECT_EQ(plain.err, "kml stats: no ring-0 program ran\n");
  const RunResult required = runFake({"--require-direct=50"}, 0, {});
  EXPECT_EQ(required.exitCode, 1);
  EXPECT_EQ(required.err, "kml stats: no ring-0 program ran\n");
}

TEST_F(StatsCli, NoCallsCounted) {
  const RunResult got =
      runFake({"--require-direct=0"}, 0,
              {"seq=18 pid=1 state=exited direct=0 bypass=0 slow=0 "
               "elsewhere=0 sites=- comm=app"});
  EXPECT_EQ(got.exitCode, 1);
  EXPECT_TRUE(contains(got.err, "0 calls, 0 direct, 0 bypass, 0 slow: n/a "
                                "direct\n"));
  EXPECT_TRUE(contains(got.err, "kml stats: no system call was counted "
                                "(required 0%)\n"))
      << got.err;
}

TEST_F(StatsCli, ProgramsThatFellOffTheListAreReported) {
  const RunResult got =
      runFake({}, 0,
              {"seq=21 pid=1 state=exited direct=1 bypass=0 slow=0 "
               "elsewhere=0 sites=- comm=app"});
  EXPECT_EQ(got.exitCode, 0);
  EXPECT_TRUE(contains(got.err, "kml stats: 3 of the programs exec'd "
                                "meanwhile are no longer listed"))
      << got.err;
}

// After kml.ko is reloaded its list starts empty, but the kernel's seq
// goes on: the first program listed is not evidence of programs missed.
TEST_F(StatsCli, AnEmptyListBeforeTheCommandCountsOnlyGapsBetweenThoseListed) {
  writeText(programs(), "");
  const std::string at57 = "seq=57 pid=1 state=exited direct=1 bypass=0 "
                           "slow=0 elsewhere=0 sites=- comm=app";
  const RunResult one = runFake({}, 0, {at57});
  EXPECT_EQ(one.exitCode, 0);
  EXPECT_FALSE(contains(one.err, "no longer listed")) << one.err;
  writeText(programs(), "");
  const RunResult gap =
      runFake({}, 0,
              {at57, "seq=60 pid=2 state=exited direct=1 bypass=0 slow=0 "
                     "elsewhere=0 sites=- comm=app"});
  EXPECT_TRUE(contains(gap.err, "kml stats: 2 of the programs exec'd "
                                "meanwhile are no longer listed"))
      << gap.err;
}

TEST_F(StatsCli, CommandNotFound) {
  const RunResult got = stats({"--", (dir_ / "no-such-cmd").string()});
  EXPECT_EQ(got.exitCode, 127);
  EXPECT_EQ(got.err, "kml stats: " + (dir_ / "no-such-cmd").string() +
                         ": No such file or directory\n");
}

TEST_F(StatsCli, CommandFoundInPath) {
  const RunResult got = stats({"--", "true"});
  EXPECT_EQ(got.exitCode, 0) << got.err;
}

TEST_F(StatsCli, BadUsage) {
  for (const std::vector<std::string> &args :
       {std::vector<std::string>{"--"},
        {"abc"},
        {"0"},
        {"12", "13"},
        {"12", "--", "true"},
        {"--require-direct=50"},
        {"--require-direct=101", "--", "true"},
        {"--require-direct=abc", "--", "true"},
        {"--require-direct"},
        {"--json"}}) {
    const RunResult got = stats(args);
    EXPECT_EQ(got.exitCode, 64) << args.front();
    EXPECT_TRUE(contains(got.err, "usage: kml stats [PID | "
                                  "[--require-direct=PCT] -- CMD [ARGS...]]"))
        << got.err;
    EXPECT_EQ(got.out, "");
  }
}

} // namespace
} // namespace kml::stats
