#pragma once
// What the fuzz driver accepts from a tool run on a mutant: how it ended,
// what it printed, and what it left in the directory (docs/fuzzing.md).

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kml::fuzz {

// How one command ended.
struct ToolResult {
  bool timedOut = false;
  std::optional<int> exitCode; // set when it exited
  int signal = 0;              // set when a signal killed it
  std::string out;
  std::string err;
  double seconds = 0; // wall time from start to end
};

enum class Tool {
  Kml,    // `kml inspect|mark|rewrite`: 0, 1 (refused) or 65 (malformed)
  Verify, // `kml-verify --binary`: 0, 1 (findings) or 2 (error)
};

// One command of a mutant's run: the tool, its subcommand as named in its
// messages ("inspect", "mark", "rewrite"; "verify" for kml-verify) and the
// input path it was given (the file its error message must name).
struct Command {
  Tool tool = Tool::Kml;
  std::string name;
  std::string input;
};

// True when the exit status is one the tool documents for refusing the
// input (an error, not a result).
bool isRefusal(Tool tool, int exitCode);

// Everything wrong with how the command ended, one line each: a signal, a
// timeout, a sanitizer report, an undocumented exit status, or a refusal
// whose stderr is not one line "TOOL: FILE: REASON" naming the input.
// Empty when the result is acceptable.
std::vector<std::string> judge(const Command &command,
                               const ToolResult &result);

// The refusal message without the tool, command and file (the REASON of
// "kml mark: FILE: REASON"), or "" when there is none.
std::string refusalReason(const Command &command, const ToolResult &result);

// A reason with its numbers blanked ("segment N (PT_LOAD, offset 0xN)"),
// so that messages can be counted by kind.
std::string normalizeReason(std::string_view reason);

// Lines of a sanitizer report in `text` (ASan, UBSan, LSan), or "".
std::string sanitizerReport(std::string_view text);

} // namespace kml::fuzz
