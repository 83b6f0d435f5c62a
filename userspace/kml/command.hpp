#pragma once
// One `kml` subcommand: a name, a one-line summary for `kml --help`, and the
// function that runs it. Each subcommand lives in its own source file and is
// listed once in commands.cpp.

#include <span>
#include <string_view>

namespace kml {

using Args = std::span<const std::string_view>;

struct Command {
  std::string_view name;
  std::string_view usage;   // e.g. "mark FILE [--disable]"
  std::string_view summary; // one line for `kml --help`
  int (*run)(Args args);    // args exclude the subcommand name
};

// Every subcommand, in the order `kml --help` lists them.
std::span<const Command> allCommands();

// Exit codes shared by all subcommands (sysexits.h values, so scripts can
// tell bad usage from bad input from an I/O failure).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;      // the check or operation said no
inline constexpr int kExitUsage = 64;       // EX_USAGE
inline constexpr int kExitDataErr = 65;     // EX_DATAERR: malformed input
inline constexpr int kExitNoInput = 66;     // EX_NOINPUT
inline constexpr int kExitUnavailable = 69; // EX_UNAVAILABLE: a tool missing
inline constexpr int kExitIoErr = 74;       // EX_IOERR

} // namespace kml
