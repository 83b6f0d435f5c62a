#include "pager.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <iostream>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

extern char **environ; // NOLINT(readability-redundant-declaration)

namespace kml {
namespace {

// A file descriptor closed when it goes out of scope, unless released.
class OwnedFd {
public:
  explicit OwnedFd(int fd) : fd_(fd) {}
  OwnedFd(const OwnedFd &) = delete;
  OwnedFd &operator=(const OwnedFd &) = delete;
  OwnedFd(OwnedFd &&) = delete;
  OwnedFd &operator=(OwnedFd &&) = delete;
  ~OwnedFd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  [[nodiscard]] int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

private:
  int fd_;
};

[[noreturn]] void throwErrno(const char *what, int error = errno) {
  throw std::system_error(error, std::generic_category(), what);
}

// posix_spawn's file actions, destroyed with the object.
class SpawnActions {
public:
  SpawnActions() {
    if (const int error = ::posix_spawn_file_actions_init(&actions_);
        error != 0) {
      throwErrno("posix_spawn_file_actions_init", error);
    }
  }
  SpawnActions(const SpawnActions &) = delete;
  SpawnActions &operator=(const SpawnActions &) = delete;
  SpawnActions(SpawnActions &&) = delete;
  SpawnActions &operator=(SpawnActions &&) = delete;
  ~SpawnActions() { ::posix_spawn_file_actions_destroy(&actions_); }

  posix_spawn_file_actions_t *get() { return &actions_; }

private:
  posix_spawn_file_actions_t actions_{};
};

// The environment of the pager: ours, plus what less and lv need to pass
// colour codes through and quit on a short text, unless the user chose.
std::vector<std::string> pagerEnvironment() {
  std::vector<std::string> env;
  bool haveLess = false;
  bool haveLv = false;
  for (char **entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    haveLess = haveLess || text.starts_with("LESS=");
    haveLv = haveLv || text.starts_with("LV=");
    env.emplace_back(text);
  }
  if (!haveLess) {
    env.emplace_back("LESS=FRX");
  }
  if (!haveLv) {
    env.emplace_back("LV=-c");
  }
  return env;
}

std::vector<char *> pointersTo(std::vector<std::string> &strings) {
  std::vector<char *> pointers;
  pointers.reserve(strings.size() + 1);
  for (std::string &text : strings) {
    pointers.push_back(text.data());
  }
  pointers.push_back(nullptr);
  return pointers;
}

// Does nothing: a write to the closed pipe then fails with EPIPE. Unlike
// SIG_IGN, a handler is reset at exec, so child processes still get the
// default SIGPIPE.
extern "C" void ignorePipeSignal(int /*signal*/) {}

void waitForExit(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

void flushStandardOutput() {
  std::cout.flush();
  // NOLINTNEXTLINE(cert-err33-c): a failed flush is a closed pager
  std::fflush(stdout);
}

} // namespace

Pager::Pager(const std::string &command) {
  flushStandardOutput();
  OwnedFd savedStdout(::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0));
  if (savedStdout.get() < 0) {
    throwErrno("cannot keep standard output");
  }
  int ends[2] = {-1, -1};
  if (::pipe2(ends, O_CLOEXEC) != 0) {
    throwErrno("pipe2");
  }
  const OwnedFd readEnd(ends[0]);
  OwnedFd writeEnd(ends[1]);

  SpawnActions actions;
  if (const int error =
          ::posix_spawn_file_actions_adddup2(actions.get(), readEnd.get(), 0);
      error != 0) {
    throwErrno("posix_spawn_file_actions_adddup2", error);
  }
  std::vector<std::string> argv{"sh", "-c", command};
  std::vector<std::string> env = pagerEnvironment();
  std::vector<char *> cargv = pointersTo(argv);
  std::vector<char *> cenv = pointersTo(env);
  if (const int error = ::posix_spawn(&pid_, "/bin/sh", actions.get(), nullptr,
                                      cargv.data(), cenv.data());
      error != 0) {
    throwErrno("cannot start the pager", error);
  }
  if (::dup2(writeEnd.get(), STDOUT_FILENO) < 0) {
    const int error = errno;
    ::close(writeEnd.release()); // the pager sees the end of its input
    waitForExit(pid_);
    throwErrno("cannot send standard output to the pager", error);
  }
  savedStdout_ = savedStdout.release();

  struct sigaction action = {};
  action.sa_handler = ignorePipeSignal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGPIPE, &action, &oldPipeAction_);
}

Pager::~Pager() {
  flushStandardOutput();
  // After an early quit the stream is bad; what comes after the pager
  // (an error message, more output) must not be lost with it.
  std::cout.clear();
  std::clearerr(stdout);
  // The last write end of the pipe closes here: the pager sees the end.
  ::dup2(savedStdout_, STDOUT_FILENO);
  ::close(savedStdout_);
  waitForExit(pid_);
  ::sigaction(SIGPIPE, &oldPipeAction_, nullptr);
}

} // namespace kml
