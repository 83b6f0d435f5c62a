#pragma once
// Running a command the way a shell would and waiting for it, for
// `kml stats -- CMD` and the tools `kml sign` and `kml build` drive.

#include "command.hpp"

#include <csignal>
#include <filesystem>
#include <system_error>

namespace kml {

// Ignores SIGINT and SIGQUIT for as long as it lives, as shells and
// time(1) do while a foreground command runs: Ctrl-C stops the command,
// and kml still reports (and cleans up).
class IgnoreInterrupts {
public:
  IgnoreInterrupts() {
    struct sigaction ignore = {};
    ignore.sa_handler =
        SIG_IGN; // NOLINT(cppcoreguidelines-pro-type-union-access)
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGINT, &ignore, &oldInt_);
    sigaction(SIGQUIT, &ignore, &oldQuit_);
  }
  IgnoreInterrupts(const IgnoreInterrupts &) = delete;
  IgnoreInterrupts &operator=(const IgnoreInterrupts &) = delete;
  IgnoreInterrupts(IgnoreInterrupts &&) = delete;
  IgnoreInterrupts &operator=(IgnoreInterrupts &&) = delete;
  ~IgnoreInterrupts() {
    sigaction(SIGINT, &oldInt_, nullptr);
    sigaction(SIGQUIT, &oldQuit_, nullptr);
  }

private:
  struct sigaction oldInt_ = {};
  struct sigaction oldQuit_ = {};
};

// Runs args[0] (looked up in PATH) with the remaining arguments,
// inheriting stdin, stdout, stderr and the environment, and waits for it.
// Returns its exit status, or 128 + the signal that killed it. While it
// runs, kml ignores SIGINT and SIGQUIT (the command does not), so that
// Ctrl-C stops the command and kml still reports. Throws std::system_error
// if the command cannot be started (not found, not executable).
int runCommand(Args args);

// Where a command runs and where its standard output goes; empty paths
// keep kml's own.
struct CommandSetting {
  std::filesystem::path workingDir;
  std::filesystem::path stdoutFile; // created or truncated, mode 0600
  bool stdoutToStderr = false;      // the command's stdout is kml's stderr
};

// runCommand, in the given directory and with stdout into a file.
int runCommand(Args args, const CommandSetting &setting);

} // namespace kml
