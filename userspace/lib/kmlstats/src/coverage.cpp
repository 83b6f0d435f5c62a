#include "kml/stats/coverage.hpp"

#include <charconv>
#include <system_error>

namespace kml::stats {
namespace {

constexpr std::uint64_t kWhole = 10000; // 100.00% in hundredths

} // namespace

PathTotals &PathTotals::operator+=(const PathTotals &other) {
  direct += other.direct;
  bypass += other.bypass;
  slow += other.slow;
  return *this;
}

PathTotals totalsOf(const ProgramRecord &record) {
  return PathTotals{
      .direct = record.direct, .bypass = record.bypass, .slow = record.slow};
}

PathTotals totalsOf(std::span<const ProgramRecord> records) {
  PathTotals totals;
  for (const ProgramRecord &record : records) {
    totals += totalsOf(record);
  }
  return totals;
}

std::optional<Share> fastShare(const PathTotals &totals) {
  if (totals.calls() == 0) {
    return std::nullopt;
  }
  // 128 bits: counters may be large enough for fast * 10000 to overflow.
  const auto scaled = static_cast<unsigned __int128>(totals.fast()) * kWhole;
  return Share{static_cast<std::uint64_t>(scaled / totals.calls())};
}

std::string formatShare(std::optional<Share> share) {
  if (!share) {
    return "n/a";
  }
  const std::uint64_t cents = share->hundredths % 100;
  return std::to_string(share->hundredths / 100) + (cents < 10 ? ".0" : ".") +
         std::to_string(cents) + "%";
}

std::optional<Share> parseShare(std::string_view text) {
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 3 || fraction.size() > 2 ||
      (dot != std::string_view::npos && fraction.empty())) {
    return std::nullopt;
  }
  auto digits = [](std::string_view part) -> std::optional<std::uint64_t> {
    std::uint64_t value = 0;
    const char *begin = part.data();
    const char *end = begin + part.size();
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr != end) {
      return std::nullopt;
    }
    return value;
  };
  const auto units = digits(whole);
  auto hundredths =
      fraction.empty() ? std::optional<std::uint64_t>(0) : digits(fraction);
  if (!units || !hundredths) {
    return std::nullopt;
  }
  if (fraction.size() == 1) {
    *hundredths *= 10; // "99.5" is 99.50
  }
  const std::uint64_t value = *units * 100 + *hundredths;
  if (value > kWhole) {
    return std::nullopt;
  }
  return Share{value};
}

bool meets(const PathTotals &totals, Share required) {
  const auto share = fastShare(totals);
  return share && *share >= required;
}

} // namespace kml::stats
