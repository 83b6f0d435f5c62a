#include "tool_run.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string_view>

namespace kml::fuzz {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string slurp(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// A started command: its output goes to files in `capture`.
struct Running {
  Command command;
  pid_t pid = -1;
  fs::path out;
  fs::path err;
  Clock::time_point started = Clock::now();
};

// The environment of the tools: ours, with ASAN_OPTIONS ending in the
// leak-check setting (a later flag overrides an earlier one).
class Environment {
public:
  explicit Environment(bool leaks) {
    const std::string_view key = "ASAN_OPTIONS=";
    std::string asan(key);
    for (char **e = environ; *e != nullptr; ++e) {
      const std::string_view entry = *e;
      if (entry.starts_with(key)) {
        asan = std::string(entry) + ":";
      } else {
        strings_.emplace_back(entry);
      }
    }
    strings_.push_back(asan + (leaks ? "detect_leaks=1" : "detect_leaks=0"));
    for (auto &entry : strings_) {
      pointers_.push_back(entry.data());
    }
    pointers_.push_back(nullptr);
  }
  char *const *get() const { return pointers_.data(); }

private:
  std::vector<std::string> strings_;
  std::vector<char *> pointers_;
};

Running start(const Command &command, const std::vector<std::string> &argv,
              const fs::path &capture, const Environment &env) {
  Running run{command, -1, capture / (command.name + ".out"),
              capture / (command.name + ".err")};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, run.out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, run.err.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char *> cargv;
  cargv.reserve(argv.size() + 1);
  for (const auto &arg : argv) {
    cargv.push_back(const_cast<char *>(arg.c_str()));
  }
  cargv.push_back(nullptr);
  if (const int rc = posix_spawn(&run.pid, cargv[0], &actions, nullptr,
                                 cargv.data(), env.get());
      rc != 0) {
    posix_spawn_file_actions_destroy(&actions);
    throw std::runtime_error("cannot run " + argv[0] + ": " +
                             std::strerror(rc));
  }
  posix_spawn_file_actions_destroy(&actions);
  return run;
}

// Waits for every command, killing those still running at the deadline.
std::vector<ToolResult> finish(std::vector<Running> &runs, double timeout) {
  const auto deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(timeout));
  std::vector<ToolResult> results(runs.size());
  std::vector<bool> done(runs.size(), false);
  for (std::size_t left = runs.size(); left > 0;) {
    bool progress = false;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      int status = 0;
      if (done[i] || waitpid(runs[i].pid, &status, WNOHANG) != runs[i].pid) {
        continue;
      }
      done[i] = true;
      --left;
      progress = true;
      ToolResult &r = results[i];
      r.seconds =
          std::chrono::duration<double>(Clock::now() - runs[i].started).count();
      if (WIFEXITED(status)) {
        r.exitCode = WEXITSTATUS(status);
      } else {
        r.signal = WTERMSIG(status);
      }
    }
    if (left == 0 || progress) {
      continue;
    }
    if (Clock::now() > deadline) {
      for (std::size_t i = 0; i < runs.size(); ++i) {
        if (!done[i]) {
          kill(runs[i].pid, SIGKILL);
          waitpid(runs[i].pid, nullptr, 0);
          results[i].timedOut = true;
          done[i] = true;
        }
      }
      break;
    }
    const timespec pause{0, 500'000};
    nanosleep(&pause, nullptr);
  }
  for (std::size_t i = 0; i < runs.size(); ++i) {
    results[i].out = slurp(runs[i].out);
    results[i].err = slurp(runs[i].err);
  }
  return results;
}

} // namespace

void setSanitizerDefaults() {
  setenv("ASAN_OPTIONS", "exitcode=86:abort_on_error=0", 0);
  setenv("UBSAN_OPTIONS", "exitcode=87:print_stacktrace=1:halt_on_error=1", 0);
}

std::vector<ToolResult> runTogether(const std::vector<Invocation> &invocations,
                                    const fs::path &capture, double timeout,
                                    bool leaks) {
  const Environment env(leaks);
  std::vector<Running> runs;
  runs.reserve(invocations.size());
  for (const Invocation &invocation : invocations) {
    runs.push_back(start(invocation.command, invocation.argv, capture, env));
  }
  return finish(runs, timeout);
}

} // namespace kml::fuzz
