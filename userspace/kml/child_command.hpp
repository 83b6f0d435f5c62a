#pragma once
// Running a command the way a shell would and waiting for it, for
// `kml stats -- CMD`.

#include "command.hpp"

#include <system_error>

namespace kml {

// Runs args[0] (looked up in PATH) with the remaining arguments,
// inheriting stdin, stdout, stderr and the environment, and waits for it.
// Returns its exit status, or 128 + the signal that killed it. While it
// runs, kml ignores SIGINT and SIGQUIT (the command does not), so that
// Ctrl-C stops the command and kml still reports. Throws std::system_error
// if the command cannot be started (not found, not executable).
int runCommand(Args args);

} // namespace kml
