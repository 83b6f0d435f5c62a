#include "kml/stats/programs_parser.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <system_error>

namespace kml::stats {
namespace {

// The keys a line must have. sites and elsewhere are part of the format
// from the start, so a line without them is broken, not old.
enum class Key : std::uint8_t {
  Seq,
  Pid,
  State,
  Direct,
  Bypass,
  Slow,
  Elsewhere,
  Sites,
  Comm,
  Count
};

constexpr std::array<std::string_view, static_cast<std::size_t>(Key::Count)>
    kKeyNames{"seq",  "pid",       "state", "direct", "bypass",
              "slow", "elsewhere", "sites", "comm"};

std::optional<Key> keyNamed(std::string_view name) {
  for (std::size_t i = 0; i < kKeyNames.size(); ++i) {
    if (kKeyNames[i] == name) {
      return static_cast<Key>(i);
    }
  }
  return std::nullopt;
}

// Errors inside one line; parsePrograms() adds the line number.
class LineError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

std::uint64_t parseNumber(std::string_view text, int base,
                          std::string_view what) {
  std::uint64_t value = 0;
  const char *begin = text.data();
  const char *end = begin + text.size();
  const auto [ptr, ec] = std::from_chars(begin, end, value, base);
  if (text.empty() || ec != std::errc() || ptr != end) {
    throw LineError("bad " + std::string(what) + " " + quoted(text));
  }
  return value;
}

SlowSite parseSite(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || !text.starts_with("0x")) {
    throw LineError("bad slow site " + quoted(text) +
                    " (expected 0xADDRESS:COUNT)");
  }
  return SlowSite{
      .address =
          parseNumber(text.substr(2, colon - 2), 16, "slow site address"),
      .count = parseNumber(text.substr(colon + 1), 10, "slow site count")};
}

std::vector<SlowSite> parseSites(std::string_view text) {
  std::vector<SlowSite> sites;
  if (text == "-") {
    return sites;
  }
  while (true) {
    const auto comma = text.find(',');
    sites.push_back(parseSite(text.substr(0, comma)));
    if (comma == std::string_view::npos) {
      return sites;
    }
    text.remove_prefix(comma + 1);
  }
}

void store(ProgramRecord &record, Key key, std::string_view value) {
  switch (key) {
  case Key::Seq:
    record.seq = parseNumber(value, 10, "seq");
    break;
  case Key::Pid:
    record.pid = static_cast<std::int64_t>(parseNumber(value, 10, "pid"));
    break;
  case Key::State:
    if (value.empty()) {
      throw LineError("empty state");
    }
    record.state = value;
    break;
  case Key::Direct:
    record.direct = parseNumber(value, 10, "direct count");
    break;
  case Key::Bypass:
    record.bypass = parseNumber(value, 10, "bypass count");
    break;
  case Key::Slow:
    record.slow = parseNumber(value, 10, "slow count");
    break;
  case Key::Elsewhere:
    record.elsewhere = parseNumber(value, 10, "elsewhere count");
    break;
  case Key::Sites:
    record.sites = parseSites(value);
    break;
  case Key::Comm:
    record.comm = value;
    break;
  case Key::Count:
    break;
  }
}

// One line; throws LineError.
ProgramRecord parseLine(std::string_view line) {
  ProgramRecord record;
  std::array<bool, kKeyNames.size()> seen{};
  std::string_view rest = line;
  while (true) {
    rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
    if (rest.empty()) {
      break;
    }
    // comm is the rest of the line: it may hold spaces (and '=').
    const bool isComm = rest.starts_with("comm=");
    const std::string_view pair =
        rest.substr(0, isComm ? rest.size() : rest.find(' '));
    rest.remove_prefix(pair.size());
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos || equals == 0) {
      throw LineError("expected key=value, not " + quoted(pair));
    }
    const auto key = keyNamed(pair.substr(0, equals));
    if (!key) {
      continue; // a newer kernel's key: skip it
    }
    auto &wasSeen = seen.at(static_cast<std::size_t>(*key));
    if (wasSeen) {
      throw LineError("key " + quoted(pair.substr(0, equals)) +
                      " appears twice");
    }
    wasSeen = true;
    store(record, *key, pair.substr(equals + 1));
  }
  for (std::size_t i = 0; i < seen.size(); ++i) {
    if (!seen.at(i)) {
      throw LineError("no " + quoted(kKeyNames.at(i)));
    }
  }
  return record;
}

bool isBlank(std::string_view line) {
  return line.find_first_not_of(' ') == std::string_view::npos;
}

} // namespace

ParseError::ParseError(std::size_t line, const std::string &message)
    : std::runtime_error("line " + std::to_string(line) + ": " + message),
      line_(line) {}

ProgramRecord parseProgramLine(std::string_view line) {
  try {
    return parseLine(line);
  } catch (const LineError &error) {
    throw ParseError(1, error.what());
  }
}

std::vector<ProgramRecord> parsePrograms(std::string_view text) {
  std::vector<ProgramRecord> records;
  std::size_t number = 0;
  while (!text.empty()) {
    ++number;
    const auto newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size()
                                                         : newline + 1);
    if (isBlank(line)) {
      continue;
    }
    try {
      records.push_back(parseLine(line));
    } catch (const LineError &error) {
      throw ParseError(number, error.what());
    }
  }
  return records;
}

} // namespace kml::stats
