#pragma once
// Running the tools under test on one file: side by side, output captured,
// a deadline, and the sanitizer settings of the fuzz runs.

#include "oracle.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace kml::fuzz {

// One command to run: how to judge it, and its argv (argv[0] a path).
struct Invocation {
  Command command;
  std::vector<std::string> argv;
};

// Sets the sanitizer options the oracle relies on, unless the caller's
// environment has its own: ASan and UBSan reports end the tool with
// statuses no tool documents (86, 87).
void setSanitizerDefaults();

// Runs the invocations at the same time, stdin from /dev/null, stdout
// and stderr into files named after the command in `capture`, and waits
// for all of them; what still runs after `timeout` seconds is killed and
// marked timed out. `leaks` turns LeakSanitizer on (it doubles the cost
// of a run). Results are in the order of the invocations. Throws
// std::runtime_error when a command cannot be started at all.
std::vector<ToolResult> runTogether(const std::vector<Invocation> &invocations,
                                    const std::filesystem::path &capture,
                                    double timeout, bool leaks);

} // namespace kml::fuzz
