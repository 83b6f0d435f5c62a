// kml: the userspace command of Kernel Mode Linux. It dispatches to one
// subcommand (see commands.cpp); `kml --help` lists them.

#include "command.hpp"
#include "kml/version.hpp"

#include <iostream>
#include <string_view>
#include <vector>

namespace {

void printHelp(std::ostream &out) {
  out << "usage: kml [--version] [--help] <command> [args...]\n\n"
         "Kernel Mode Linux: run trusted, marked programs at CPL 0 so that\n"
         "their system calls become direct calls into the kernel.\n\n"
         "commands:\n";
  for (const auto &cmd : kml::allCommands()) {
    out << "  " << cmd.usage << "\n      " << cmd.summary << "\n";
  }
  out << "\noptions:\n"
         "  --version   print the kml version and exit\n"
         "  --help      print this help and exit\n";
}

} // namespace

int main(int argc, char **argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) {
    printHelp(std::cerr);
    return kml::kExitUsage;
  }
  const std::string_view first = args.front();
  if (first == "--version" || first == "version") {
    std::cout << "kml " << kml::kVersion << "\n";
    return kml::kExitOk;
  }
  if (first == "--help" || first == "-h" || first == "help") {
    printHelp(std::cout);
    return kml::kExitOk;
  }
  for (const auto &cmd : kml::allCommands()) {
    if (cmd.name == first) {
      return cmd.run(kml::Args(args).subspan(1));
    }
  }
  std::cerr << "kml: unknown command '" << first
            << "' (try 'kml --help' for the list)\n";
  return kml::kExitUsage;
}
