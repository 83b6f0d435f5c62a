#pragma once
// Running a command the way a shell would and waiting for it, for
// `kml stats -- CMD` and the tools `kml sign` and `kml build` drive.

#include "command.hpp"

#include <filesystem>
#include <system_error>

namespace kml {

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
