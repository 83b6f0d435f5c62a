// Decimal numbers for the example programs: a command-line value, an HTTP
// Content-Length.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <system_error>

namespace numbers {

// A decimal number that is all of `text`, or nothing: from_chars alone
// takes "1x" as 1, and an unsigned parse takes no sign.
inline std::optional<std::uint64_t> parse_decimal(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.begin(), text.end(), value);
  if (text.empty() || error != std::errc() || end != text.end())
    return std::nullopt; // not a number, or too large
  return value;
}

} // namespace numbers
