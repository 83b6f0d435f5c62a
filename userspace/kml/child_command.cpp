#include "child_command.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <string>
#include <vector>

extern char **environ; // NOLINT(readability-redundant-declaration)

namespace kml {
namespace {

// posix_spawn attributes that give the child default SIGINT and SIGQUIT
// handling back, whatever kml does with them meanwhile.
class DefaultInterrupts {
public:
  DefaultInterrupts() {
    posix_spawnattr_init(&attr_);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGQUIT);
    posix_spawnattr_setsigdefault(&attr_, &defaults);
    posix_spawnattr_setflags(&attr_, POSIX_SPAWN_SETSIGDEF);
  }
  DefaultInterrupts(const DefaultInterrupts &) = delete;
  DefaultInterrupts &operator=(const DefaultInterrupts &) = delete;
  DefaultInterrupts(DefaultInterrupts &&) = delete;
  DefaultInterrupts &operator=(DefaultInterrupts &&) = delete;
  ~DefaultInterrupts() { posix_spawnattr_destroy(&attr_); }
  [[nodiscard]] const posix_spawnattr_t *get() const { return &attr_; }

private:
  posix_spawnattr_t attr_{};
};

// posix_spawn file actions: the working directory and stdout of the child.
class SpawnActions {
public:
  explicit SpawnActions(const CommandSetting &setting) {
    posix_spawn_file_actions_init(&actions_);
    if (!setting.workingDir.empty()) {
      // glibc 2.29 and later; kml's own directory stays where it is.
      posix_spawn_file_actions_addchdir_np(&actions_,
                                           setting.workingDir.c_str());
    }
    if (!setting.stdoutFile.empty()) {
      posix_spawn_file_actions_addopen(&actions_, STDOUT_FILENO,
                                       setting.stdoutFile.c_str(),
                                       O_WRONLY | O_CREAT | O_TRUNC, 0600);
    } else if (setting.stdoutToStderr) {
      posix_spawn_file_actions_adddup2(&actions_, STDERR_FILENO, STDOUT_FILENO);
    }
  }
  SpawnActions(const SpawnActions &) = delete;
  SpawnActions &operator=(const SpawnActions &) = delete;
  SpawnActions(SpawnActions &&) = delete;
  SpawnActions &operator=(SpawnActions &&) = delete;
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions_); }
  [[nodiscard]] const posix_spawn_file_actions_t *get() const {
    return &actions_;
  }

private:
  posix_spawn_file_actions_t actions_{};
};

int waitFor(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      throw std::system_error(errno, std::generic_category(), "waitpid");
    }
  }
  if (WIFSIGNALED(status)) {
    return 128 + WTERMSIG(status);
  }
  return WEXITSTATUS(status);
}

} // namespace

int runCommand(Args args) { return runCommand(args, CommandSetting{}); }

int runCommand(Args args, const CommandSetting &setting) {
  std::vector<std::string> storage(args.begin(), args.end());
  std::vector<char *> argv;
  argv.reserve(storage.size() + 1);
  for (std::string &arg : storage) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);

  const IgnoreInterrupts ignore;
  const DefaultInterrupts attributes;
  const SpawnActions actions(setting);
  pid_t pid = 0;
  // posix_spawnp rather than fork + execvp: it reports a failed exec (a
  // missing command) as its return value instead of leaving a forked copy
  // of kml to report it.
  const int error = posix_spawnp(&pid, argv[0], actions.get(), attributes.get(),
                                 argv.data(), environ);
  if (error != 0) {
    throw std::system_error(error, std::generic_category(), storage[0]);
  }
  return waitFor(pid);
}

} // namespace kml
