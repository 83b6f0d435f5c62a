#include "oracle.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <csignal>
#include <cstring>
#include <sstream>

namespace kml::fuzz {
namespace {

// The exit statuses each tool documents (docs/marker.md, "Errors and exit
// codes"; kml-verify --help). Usage (64), unreadable input (66) and write
// failures (74) cannot happen to a mutant in a writable scratch directory.
constexpr std::array kKmlStatuses = {0, 1, 65};
constexpr std::array kVerifyStatuses = {0, 1, 2};

std::vector<std::string_view> lines(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    out.push_back(text.substr(0, end));
    if (end == std::string_view::npos) {
      break;
    }
    text.remove_prefix(end + 1);
  }
  return out;
}

std::string prefixOf(const Command &command) {
  return command.tool == Tool::Kml ? "kml " + command.name + ": "
                                   : std::string("kml-verify: ");
}

// kml-verify ends every run with "kml-verify: N findings in ..." on stderr.
bool isVerifySummary(std::string_view line) {
  static constexpr std::string_view kPrefix = "kml-verify: ";
  if (!line.starts_with(kPrefix)) {
    return false;
  }
  line.remove_prefix(kPrefix.size());
  const auto *const digits = std::ranges::find_if_not(
      line, [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  return digits != line.begin() &&
         std::string_view(digits, line.end()).starts_with(" finding");
}

// The stderr lines that are not kml-verify's summary.
std::vector<std::string_view> messageLines(const Command &command,
                                           std::string_view err) {
  std::vector<std::string_view> out = lines(err);
  if (command.tool == Tool::Verify) {
    std::erase_if(out, isVerifySummary);
  }
  return out;
}

bool hasLetters(std::string_view text) {
  return std::ranges::count_if(text, [](char c) {
           return std::isalpha(static_cast<unsigned char>(c));
         }) >= 3;
}

// Digits after these belong to a name ("x86-64", "PT_GNU_STACK2", "KML-B001").
bool partOfName(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

} // namespace

bool isRefusal(Tool tool, int exitCode) {
  return tool == Tool::Kml ? exitCode == 1 || exitCode == 65 : exitCode == 2;
}

std::string sanitizerReport(std::string_view text) {
  static constexpr std::string_view kMarkers[] = {
      "ERROR: AddressSanitizer",
      "ERROR: LeakSanitizer",
      "runtime error:",
      "UndefinedBehaviorSanitizer",
      "AddressSanitizer:DEADLYSIGNAL",
      "LeakSanitizer has encountered"};
  std::string report;
  for (const std::string_view line : lines(text)) {
    if (std::ranges::any_of(kMarkers, [&](std::string_view marker) {
          return line.find(marker) != std::string_view::npos;
        })) {
      report += report.empty() ? "" : " | ";
      report += line;
    }
  }
  return report;
}

std::string refusalReason(const Command &command, const ToolResult &result) {
  const auto msgs = messageLines(command, result.err);
  const std::string prefix = prefixOf(command) + command.input + ": ";
  if (msgs.size() != 1 || !msgs.front().starts_with(prefix)) {
    return "";
  }
  return std::string(msgs.front().substr(prefix.size()));
}

std::vector<std::string> judge(const Command &command,
                               const ToolResult &result) {
  std::vector<std::string> problems;
  if (result.timedOut) {
    problems.emplace_back("timed out");
  }
  if (!result.exitCode) {
    if (!result.timedOut) {
      problems.push_back("killed by signal " + std::to_string(result.signal) +
                         " (" + strsignal(result.signal) + ")");
    }
    return problems;
  }
  if (const std::string report = sanitizerReport(result.err); !report.empty()) {
    problems.push_back("sanitizer report: " + report);
  }
  const int code = *result.exitCode;
  const auto allowed = command.tool == Tool::Kml
                           ? std::span<const int>(kKmlStatuses)
                           : std::span<const int>(kVerifyStatuses);
  if (std::ranges::find(allowed, code) == allowed.end()) {
    problems.push_back("undocumented exit status " + std::to_string(code));
    return problems;
  }
  if (!isRefusal(command.tool, code)) {
    return problems;
  }
  const auto msgs = messageLines(command, result.err);
  const std::string prefix = prefixOf(command) + command.input + ": ";
  if (msgs.size() != 1) {
    problems.push_back("exit " + std::to_string(code) + " with " +
                       std::to_string(msgs.size()) +
                       " error lines on stderr, expected one: '" + result.err +
                       "'");
  } else if (!msgs.front().starts_with(prefix)) {
    problems.push_back("error message does not start with '" + prefix + "': '" +
                       std::string(msgs.front()) + "'");
  } else {
    const std::string_view reason = msgs.front().substr(prefix.size());
    if (!hasLetters(reason) || reason.ends_with(':') ||
        reason.ends_with(": ") ||
        reason.find("(null)") != std::string_view::npos) {
      problems.push_back("error message gives no reason: '" +
                         std::string(msgs.front()) + "'");
    } else if (reason.starts_with(command.input + ":")) {
      problems.push_back("error message names the file twice: '" +
                         std::string(msgs.front()) + "'");
    }
  }
  return problems;
}

std::string normalizeReason(std::string_view reason) {
  std::string out;
  for (std::size_t i = 0; i < reason.size();) {
    const char c = reason[i];
    if (c == '0' && i + 1 < reason.size() && reason[i + 1] == 'x') {
      out += "0xN";
      i += 2;
      while (i < reason.size() &&
             std::isxdigit(static_cast<unsigned char>(reason[i]))) {
        ++i;
      }
    } else if (std::isdigit(static_cast<unsigned char>(c)) &&
               (i == 0 || !partOfName(reason[i - 1]))) {
      out += 'N';
      while (i < reason.size() &&
             std::isdigit(static_cast<unsigned char>(reason[i]))) {
        ++i;
      }
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

} // namespace kml::fuzz
