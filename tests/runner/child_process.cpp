#include "child_process.hpp"

#include <array>
#include <cerrno>
#include <csignal>
#include <system_error>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ; // NOLINT(readability-redundant-declaration): POSIX

namespace kml::vmrun {
namespace {

[[noreturn]] void throwErrno(int err, const std::string &what) {
  throw std::system_error(err, std::generic_category(), what);
}

// posix_spawn file actions and attributes are C objects with explicit
// destroy calls; keep each alive exactly as long as this scope.
class SpawnActions {
public:
  SpawnActions() { posix_spawn_file_actions_init(&actions_); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions_); }
  SpawnActions(const SpawnActions &) = delete;
  SpawnActions &operator=(const SpawnActions &) = delete;
  SpawnActions(SpawnActions &&) = delete;
  SpawnActions &operator=(SpawnActions &&) = delete;
  posix_spawn_file_actions_t *get() { return &actions_; }

private:
  posix_spawn_file_actions_t actions_{};
};

} // namespace

ChildProcess::ChildProcess(const std::vector<std::string> &argv) {
  if (argv.empty()) {
    throwErrno(EINVAL, "no command to run");
  }
  std::array<int, 2> fds{};
  if (pipe2(fds.data(), O_CLOEXEC) != 0) {
    throwErrno(errno, "pipe");
  }
  SpawnActions actions;
  posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null",
                                   O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(actions.get(), fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(actions.get(), fds[1], STDERR_FILENO);

  std::vector<char *> cargv;
  cargv.reserve(argv.size() + 1);
  for (const auto &arg : argv) {
    cargv.push_back(const_cast<char *>(arg.c_str())); // NOLINT: POSIX API
  }
  cargv.push_back(nullptr);
  const int err = posix_spawnp(&pid_, cargv[0], actions.get(), nullptr,
                               cargv.data(), environ);
  close(fds[1]);
  if (err != 0) {
    close(fds[0]);
    throwErrno(err, "cannot start '" + argv[0] + "'");
  }
  fd_ = fds[0];
}

ChildProcess::~ChildProcess() {
  kill();
  if (fd_ >= 0) {
    close(fd_);
  }
}

ChildProcess::ReadStatus ChildProcess::readLine(std::string &line,
                                                Clock::time_point deadline) {
  for (;;) {
    if (const auto nl = pending_.find('\n'); nl != std::string::npos) {
      line = pending_.substr(0, nl);
      pending_.erase(0, nl + 1);
      return ReadStatus::Line;
    }
    if (eof_) {
      if (!pending_.empty()) {
        line = std::move(pending_);
        pending_.clear();
        return ReadStatus::Line;
      }
      return ReadStatus::EndOfOutput;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - Clock::now());
    if (left.count() <= 0) {
      return ReadStatus::TimedOut;
    }
    pollfd pfd{fd_, POLLIN, 0};
    const int ready = poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) {
      throwErrno(errno, "poll");
    }
    if (ready <= 0) {
      continue;
    }
    std::array<char, 4096> buf{};
    const ssize_t n = read(fd_, buf.data(), buf.size());
    if (n < 0 && errno != EINTR) {
      throwErrno(errno, "read from child");
    }
    if (n == 0) {
      eof_ = true;
    } else if (n > 0) {
      pending_.append(buf.data(), static_cast<std::size_t>(n));
    }
  }
}

void ChildProcess::kill() {
  if (pid_ > 0 && !status_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    status_ = status;
  }
}

std::optional<int> ChildProcess::wait(Clock::time_point deadline) {
  while (!status_) {
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      status_ = status;
      break;
    }
    if (Clock::now() >= deadline) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return status_;
}

} // namespace kml::vmrun
