#include "output_session.hpp"

#include <iostream>
#include <system_error>

namespace kml {
namespace {

// Set once by main() from `kml --color=WHEN`, before any session exists.
ColourChoice &defaultColourChoice() {
  static ColourChoice choice = ColourChoice::Auto;
  return choice;
}

std::string_view sgrCode(Colour colour) {
  switch (colour) {
  case Colour::Bold:
    return "1";
  case Colour::Dim:
    return "2";
  case Colour::Red:
    return "31";
  case Colour::Green:
    return "32";
  case Colour::Yellow:
    return "33";
  case Colour::Blue:
    return "34";
  case Colour::Magenta:
    return "35";
  case Colour::Cyan:
    return "36";
  }
  return "0";
}

} // namespace

OutputSession::OutputSession(std::optional<ColourChoice> choice, Paging paging)
    : OutputSession(choice, paging, TerminalState::current()) {}

OutputSession::OutputSession(std::optional<ColourChoice> choice, Paging paging,
                             const TerminalState &terminal)
    : colourOn_(shouldColour(choice.value_or(defaultColourChoice()), terminal)),
      stream_(&std::cout) {
  if (paging == Paging::Never) {
    return;
  }
  if (const auto command = pagerCommand(terminal)) {
    try {
      pager_.emplace(*command);
    } catch (const std::system_error &error) {
      // Unpaged output is still output.
      std::cerr << "kml: " << error.what() << "\n";
    }
  }
}

OutputSession::~OutputSession() = default;

std::string OutputSession::colour(Colour colour, std::string_view text) const {
  if (!colourOn_) {
    return std::string(text);
  }
  std::string painted = "\x1b[";
  painted += sgrCode(colour);
  painted += 'm';
  painted += text;
  painted += "\x1b[m";
  return painted;
}

void OutputSession::setDefaultColourChoice(ColourChoice choice) {
  defaultColourChoice() = choice;
}

} // namespace kml
