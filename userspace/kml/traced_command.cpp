#include "traced_command.hpp"

#include "child_command.hpp"

#include <array>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <string>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace kml {
namespace {

std::system_error failure(int error, const std::string &what) {
  return {error, std::generic_category(), what};
}

// The child: wait until the parent closes `go`, then exec; an exec that
// fails sends its errno through `report`, which exec would have closed.
[[noreturn]] void childMain(Args args, int go, int report) {
  char byte = 0;
  while (::read(go, &byte, 1) < 0 && errno == EINTR) {
  }
  std::vector<std::string> owned(args.begin(), args.end());
  std::vector<char *> argv;
  argv.reserve(owned.size() + 1);
  for (std::string &arg : owned) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  ::execvp(argv[0], argv.data());
  const int error = errno;
  (void)!::write(report, &error, sizeof(error));
  ::_exit(127);
}

} // namespace

TracedCommand::TracedCommand(Args args) {
  std::array<int, 2> go{};
  std::array<int, 2> report{};
  if (::pipe2(go.data(), O_CLOEXEC) != 0) {
    throw failure(errno, "cannot make a pipe");
  }
  if (::pipe2(report.data(), O_CLOEXEC) != 0) {
    const int error = errno;
    ::close(go[0]);
    ::close(go[1]);
    throw failure(error, "cannot make a pipe");
  }
  pid_ = ::fork();
  if (pid_ == 0) {
    ::close(go[1]);
    ::close(report[0]);
    childMain(args, go[0], report[1]);
  }
  const int error = errno;
  ::close(go[0]);
  ::close(report[1]);
  go_ = go[1];
  execError_ = report[0];
  if (pid_ < 0) {
    throw failure(error, "cannot fork");
  }
}

TracedCommand::~TracedCommand() {
  if (go_ >= 0) {
    ::close(go_);
  }
  if (execError_ >= 0) {
    ::close(execError_);
  }
  if (pid_ > 0 && !reaped_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

int TracedCommand::run() {
  const IgnoreInterrupts whileItRuns;
  ::close(go_);
  go_ = -1;
  int error = 0;
  ssize_t got = 0;
  while ((got = ::read(execError_, &error, sizeof(error))) < 0 &&
         errno == EINTR) {
  }
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  if (got == sizeof(error)) {
    throw failure(error, "cannot run the command");
  }
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

} // namespace kml
