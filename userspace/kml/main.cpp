// kml: the userspace command of Kernel Mode Linux. It dispatches to one
// subcommand (see commands.cpp); `kml --help` lists them, and
// `kml CMD --help` (or `kml help CMD`) shows one, before the command looks
// at any other argument.

#include "command.hpp"
#include "help_text.hpp"
#include "kml/version.hpp"
#include "man_page.hpp"
#include "output_policy.hpp"
#include "output_session.hpp"

#include <cstddef>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using kml::Args;

// A --color=WHEN or --color WHEN at args[i] (moving i onto its value):
// true with WHEN parsed (nullopt if it is not one), false when args[i] is
// no --color.
bool takeColour(Args args, std::size_t &i,
                std::optional<kml::ColourChoice> &choice) {
  const std::string_view arg = args[i];
  if (arg.starts_with("--color=")) {
    choice = kml::parseColourChoice(arg.substr(arg.find('=') + 1));
    return true;
  }
  if (arg == "--color" && i + 1 < args.size()) {
    choice = kml::parseColourChoice(args[++i]);
    return true;
  }
  return false;
}

struct HelpRequest {
  bool wanted = false;
  std::optional<kml::ColourChoice> colour;
};

// Does the subcommand's argument list ask for help? --help (or -h) among
// its options: not after `--`, nor, for a command that starts another
// program (run), after the program's name, where it is that program's.
HelpRequest helpRequested(const kml::Command &command, Args args) {
  HelpRequest request;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--") {
      break;
    }
    if (arg == "--help" || arg == "-h") {
      request.wanted = true;
    } else if (takeColour(args, i, request.colour)) {
      continue; // a bad WHEN is the command's to report, unless for help
    } else if (command.name == "run" && !arg.starts_with("-")) {
      break;
    }
  }
  return request;
}

int usage(const std::string &message) {
  std::cerr << "kml: " << message << " (try 'kml --help')\n";
  return kml::kExitUsage;
}

int showCommandHelp(const kml::Command &command,
                    std::optional<kml::ColourChoice> colour) {
  const kml::OutputSession out(colour);
  kml::printCommandHelp(out, command);
  return kml::kExitOk;
}

// `kml help [COMMAND]`, `kml --help`
int help(Args args) {
  if (args.empty()) {
    const kml::OutputSession out;
    kml::printOverview(out);
    return kml::kExitOk;
  }
  const kml::Command *command = kml::findCommand(args.front());
  if (command == nullptr) {
    return usage("no command '" + std::string(args.front()) + "'");
  }
  if (args.size() > 1) {
    return usage("help takes one COMMAND");
  }
  return showCommandHelp(*command, std::nullopt);
}

// The hidden `kml --man-pages DIR` the build runs (man_page.hpp).
int manPages(Args args) {
  if (args.size() != 1) {
    return usage("--man-pages needs one DIR");
  }
  try {
    kml::writeManPages(std::string(args.front()), kml::kVersion);
  } catch (const std::exception &error) {
    std::cerr << "kml: " << error.what() << "\n";
    return kml::kExitIoErr;
  }
  return kml::kExitOk;
}

} // namespace

int main(int argc, char **argv) {
  const std::vector<std::string_view> all(argv + 1, argv + argc);
  Args args(all);
  // Options of kml itself, before the command.
  std::size_t next = 0;
  for (; next < args.size(); ++next) {
    std::optional<kml::ColourChoice> colour;
    if (!takeColour(args, next, colour)) {
      break;
    }
    if (!colour) {
      return usage("--color is auto, always or never, not '" +
                   std::string(args[next]) + "'");
    }
    kml::OutputSession::setDefaultColourChoice(*colour);
  }
  args = args.subspan(next);
  if (args.empty()) {
    std::cerr << "usage: kml [--version] [--help] [--color=WHEN] <command> "
                 "[args...]\n"
                 "'kml --help' lists the commands.\n";
    return kml::kExitUsage;
  }
  const std::string_view first = args.front();
  if (first == "--version" || first == "version") {
    std::cout << "kml " << kml::kVersion << "\n";
    return kml::kExitOk;
  }
  if (first == "--help" || first == "-h") {
    return help({});
  }
  if (first == "help") {
    return help(args.subspan(1));
  }
  if (first == "--man-pages") {
    return manPages(args.subspan(1));
  }
  if (const kml::Command *command = kml::findCommand(first)) {
    const Args rest = args.subspan(1);
    if (const HelpRequest request = helpRequested(*command, rest);
        request.wanted) {
      return showCommandHelp(*command, request.colour);
    }
    return command->run(rest);
  }
  std::cerr << "kml: unknown command '" << first
            << "' (try 'kml --help' for the list)\n";
  return kml::kExitUsage;
}
