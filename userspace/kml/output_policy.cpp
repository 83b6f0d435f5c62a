#include "output_policy.hpp"

#include "arg_cursor.hpp"

#include <unistd.h>

#include <cstdlib>

namespace kml {
namespace {

std::optional<std::string> environmentValue(const char *name) {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read once, before any thread
  const char *value = std::getenv(name);
  if (value == nullptr) {
    return std::nullopt;
  }
  return std::string(value);
}

} // namespace

std::optional<ColourChoice> parseColourChoice(std::string_view text) {
  if (text == "auto") {
    return ColourChoice::Auto;
  }
  if (text == "always") {
    return ColourChoice::Always;
  }
  if (text == "never") {
    return ColourChoice::Never;
  }
  return std::nullopt;
}

bool takeColourOption(ArgCursor &cursor, std::optional<ColourChoice> &choice) {
  auto value = cursor.takeValue("--color");
  if (!value) {
    return false;
  }
  choice = parseColourChoice(*value);
  if (!choice) {
    throw UsageProblem{"--color is auto, always or never, not '" + *value +
                       "'"};
  }
  return true;
}

TerminalState TerminalState::current() {
  return TerminalState{::isatty(STDOUT_FILENO) == 1,
                       environmentValue("NO_COLOR"), environmentValue("TERM"),
                       environmentValue("KML_PAGER"),
                       environmentValue("PAGER")};
}

bool shouldColour(ColourChoice choice, const TerminalState &terminal) {
  switch (choice) {
  case ColourChoice::Always:
    return true;
  case ColourChoice::Never:
    return false;
  case ColourChoice::Auto:
    break;
  }
  if (!terminal.stdoutIsTerminal) {
    return false;
  }
  if (terminal.noColor && !terminal.noColor->empty()) {
    return false;
  }
  return terminal.term && *terminal.term != "dumb";
}

std::optional<std::string> pagerCommand(const TerminalState &terminal) {
  if (!terminal.stdoutIsTerminal) {
    return std::nullopt;
  }
  std::string command(kDefaultPager);
  if (terminal.kmlPager) {
    command = *terminal.kmlPager;
  } else if (terminal.pager) {
    command = *terminal.pager;
  }
  if (command.empty() || command == "cat") {
    return std::nullopt;
  }
  return command;
}

} // namespace kml
