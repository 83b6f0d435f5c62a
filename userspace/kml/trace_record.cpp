#include "trace_record.hpp"

#include <charconv>
#include <cstddef>

namespace kml {
namespace {

std::string_view trimLeft(std::string_view text) {
  const std::size_t start = text.find_first_not_of(' ');
  return start == std::string_view::npos ? std::string_view{}
                                         : text.substr(start);
}

template <typename Number>
std::optional<Number> parseNumber(std::string_view text, int base = 10) {
  Number value{};
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (error != std::errc{} || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// "12.345678" (seconds, microseconds) in nanoseconds.
std::optional<std::uint64_t> parseTimestamp(std::string_view text) {
  const std::size_t dot = text.find('.');
  if (dot == std::string_view::npos) {
    return std::nullopt;
  }
  const auto seconds = parseNumber<std::uint64_t>(text.substr(0, dot));
  const std::string_view fraction = text.substr(dot + 1);
  const auto micros = parseNumber<std::uint64_t>(fraction);
  if (!seconds || !micros || fraction.size() != 6) {
    return std::nullopt;
  }
  return *seconds * 1'000'000'000 + *micros * 1'000;
}

// "key=value key="quoted value" ...": the pairs, in order.
void parseFields(std::string_view text, TraceRecord &record) {
  while (!(text = trimLeft(text)).empty()) {
    const std::size_t equals = text.find('=');
    if (equals == std::string_view::npos) {
      return;
    }
    const std::string key(text.substr(0, equals));
    text.remove_prefix(equals + 1);
    std::size_t end = 0;
    std::string value;
    if (!text.empty() && text.front() == '"') {
      end = text.find('"', 1);
      end = end == std::string_view::npos ? text.size() : end + 1;
      value = text.substr(1, end - (end > 1 && text[end - 1] == '"' ? 2 : 1));
    } else {
      end = std::min(text.find(' '), text.size());
      value = text.substr(0, end);
    }
    record.fields.insert_or_assign(key, std::move(value));
    text.remove_prefix(end);
  }
}

// raw_syscalls:sys_exit prints "NR 110 = 92".
void parseSysExit(std::string_view text, TraceRecord &record) {
  constexpr std::string_view kPrefix = "NR ";
  const std::size_t equals = text.find(" = ");
  if (!text.starts_with(kPrefix) || equals == std::string_view::npos) {
    return;
  }
  record.fields.insert_or_assign(
      "nr", std::string(text.substr(kPrefix.size(), equals - kPrefix.size())));
  record.fields.insert_or_assign("ret", std::string(text.substr(equals + 3)));
}

} // namespace

std::string_view TraceRecord::field(std::string_view key) const {
  const auto found = fields.find(key);
  return found == fields.end() ? std::string_view{} : found->second;
}

std::optional<std::int64_t> TraceRecord::number(std::string_view key) const {
  std::string_view text = field(key);
  const bool negative = text.starts_with('-');
  if (negative) {
    text.remove_prefix(1);
  }
  int base = 10;
  if (text.starts_with("0x")) {
    text.remove_prefix(2);
    base = 16;
  }
  const auto magnitude = parseNumber<std::uint64_t>(text, base);
  if (!magnitude) {
    return std::nullopt;
  }
  const auto value = static_cast<std::int64_t>(*magnitude);
  return negative ? -value : value;
}

std::optional<TraceRecord> parseTraceLine(std::string_view line) {
  line = trimLeft(line);
  if (line.empty() || line.front() == '#') {
    return std::nullopt;
  }
  // "COMM-PID [CPU] FLAGS TIME: EVENT: FIELDS"; COMM may hold '-' and ' '.
  const std::size_t open = line.find(" [");
  const std::size_t close = line.find("] ", open);
  if (open == std::string_view::npos || close == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view task = line.substr(0, open);
  while (task.ends_with(' ')) {
    task.remove_suffix(1);
  }
  const std::size_t dash = task.rfind('-');
  const auto cpu = parseNumber<int>(line.substr(open + 2, close - open - 2));
  if (dash == std::string_view::npos || !cpu) {
    return std::nullopt;
  }
  const auto pid = parseNumber<pid_t>(task.substr(dash + 1));
  // After the CPU: the flags (optional), the time and a colon.
  std::string_view rest = trimLeft(line.substr(close + 2));
  const std::size_t timeEnd = rest.find(": ");
  if (!pid || timeEnd == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view time = rest.substr(0, timeEnd);
  time = time.substr(
      time.rfind(' ') == std::string_view::npos ? 0 : time.rfind(' ') + 1);
  const auto timeNs = parseTimestamp(time);
  rest.remove_prefix(timeEnd + 2);
  const std::size_t eventEnd = rest.find(':');
  if (!timeNs || eventEnd == std::string_view::npos) {
    return std::nullopt;
  }
  TraceRecord record;
  record.comm = task.substr(0, dash);
  record.pid = *pid;
  record.cpu = *cpu;
  record.timeNs = *timeNs;
  record.event = rest.substr(0, eventEnd);
  const std::string_view fields = trimLeft(rest.substr(eventEnd + 1));
  if (record.event == "sys_exit") {
    parseSysExit(fields, record);
  } else {
    parseFields(fields, record);
  }
  return record;
}

} // namespace kml
