#pragma once
// ChildProcess runs a command with its stdout and stderr on one pipe and
// hands its output back line by line, with a deadline. The destructor kills
// and reaps a child that is still running, so no QEMU outlives the runner.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace kml::vmrun {

class ChildProcess {
public:
  using Clock = std::chrono::steady_clock;

  // Starts argv[0] (looked up in PATH) with stdin from /dev/null.
  // Throws std::system_error when it cannot be started.
  explicit ChildProcess(const std::vector<std::string> &argv);
  ~ChildProcess();
  ChildProcess(const ChildProcess &) = delete;
  ChildProcess &operator=(const ChildProcess &) = delete;
  ChildProcess(ChildProcess &&) = delete;
  ChildProcess &operator=(ChildProcess &&) = delete;

  enum class ReadStatus { Line, EndOfOutput, TimedOut };

  // Reads the next line (without '\n') into `line`. A final line without a
  // newline is returned before EndOfOutput.
  ReadStatus readLine(std::string &line, Clock::time_point deadline);

  // Kills the child (SIGKILL) if it is still running and reaps it.
  void kill();

  // Waits for the child to exit until `deadline`; returns its wait status,
  // or nothing if it is still running then.
  std::optional<int> wait(Clock::time_point deadline);

private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string pending_;
  bool eof_ = false;
  std::optional<int> status_;
};

} // namespace kml::vmrun
