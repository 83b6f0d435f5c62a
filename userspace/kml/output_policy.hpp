#pragma once
// When `kml` colours its output and when it pages it, decided as git does:
// colour only on a terminal that can show it, unless asked (--color), and a
// pager only when standard output is a terminal. The decisions are pure
// functions of a TerminalState, so that tests can hand them any terminal;
// OutputSession (output_session.hpp) acts on them.

#include <optional>
#include <string>
#include <string_view>

namespace kml {

class ArgCursor;

// --color=WHEN
enum class ColourChoice { Auto, Always, Never };

// "auto", "always" or "never"; nullopt for anything else.
std::optional<ColourChoice> parseColourChoice(std::string_view text);

// Takes a --color=WHEN (or --color WHEN) option at the cursor into choice;
// false when the current argument is not one. Throws UsageProblem for a
// WHEN that is not auto, always or never.
bool takeColourOption(ArgCursor &cursor, std::optional<ColourChoice> &choice);

// What the decisions depend on: whether standard output is a terminal, and
// the environment variables that speak to it (unset: nullopt).
struct TerminalState {
  bool stdoutIsTerminal = false;
  std::optional<std::string> noColor;  // NO_COLOR
  std::optional<std::string> term;     // TERM
  std::optional<std::string> kmlPager; // KML_PAGER
  std::optional<std::string> pager;    // PAGER

  // This process's: isatty(STDOUT_FILENO) and its environment.
  static TerminalState current();
};

// Always and Never say so; Auto colours a terminal, unless NO_COLOR is set
// to anything but "" (no-color.org) or TERM is unset or "dumb".
bool shouldColour(ColourChoice choice, const TerminalState &terminal);

// The default pager: -F quits at once when the text fits one screen, -R
// passes the colour codes, -X leaves the text on the screen after.
inline constexpr std::string_view kDefaultPager = "less -FRX";

// The shell command to page through, or nullopt for no pager: never when
// standard output is not a terminal; else $KML_PAGER, then $PAGER, then
// kDefaultPager, where "" or "cat" means no pager.
std::optional<std::string> pagerCommand(const TerminalState &terminal);

} // namespace kml
