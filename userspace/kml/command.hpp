#pragma once
// One `kml` subcommand: a name, a one-line summary for `kml --help`, the
// function that runs it, and its longer help. Each subcommand lives in its
// own source file and is listed once in commands.cpp, with its text: the
// one definition that `kml CMD --help`, `kml help CMD` and the man page
// kml-CMD(1) are all made from (help_text.cpp, man_page.cpp).

#include <span>
#include <string_view>

namespace kml {

using Args = std::span<const std::string_view>;

// An option or argument of a subcommand, as its help lists it.
struct OptionHelp {
  std::string_view name; // e.g. "-o OUT, --output OUT"
  std::string_view text; // what it does, one or two sentences
};

// An exit code a subcommand returns, and what it means for that command.
struct ExitHelp {
  int code;
  std::string_view meaning;
};

// A command line and what it does.
struct ExampleHelp {
  std::string_view command; // as typed, e.g. "kml mark a.out"
  std::string_view text;
};

// The longer help of a subcommand. Plain text: paragraphs of the
// description are separated by a blank line ("\n\n"); the renderers wrap
// and format it for a terminal or for roff.
struct CommandHelp {
  std::string_view description;
  std::span<const OptionHelp> options;
  std::span<const ExitHelp> exitStatus;
  std::span<const ExampleHelp> examples;
};

struct Command {
  std::string_view name;
  std::string_view usage;   // e.g. "mark FILE [--disable]"
  std::string_view summary; // one line for `kml --help`
  int (*run)(Args args);    // args exclude the subcommand name
  CommandHelp help{};       // `kml CMD --help` and kml-CMD(1)
};

// Every subcommand, in the order `kml --help` lists them.
std::span<const Command> allCommands();

// The subcommand called name, or nullptr.
const Command *findCommand(std::string_view name);

// `kml` itself, for `kml --help` and kml(1): what it is, the options it
// takes before a command, and its exit status.
const CommandHelp &overviewHelp();
// The environment variables kml reads, by name.
std::span<const OptionHelp> environmentHelp();

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
