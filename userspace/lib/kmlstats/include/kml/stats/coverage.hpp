#pragma once
// How many system calls took a fast path (direct or bypass entry) out of
// all counted: the figure that says how well the rewriter covered a
// program. Shares are kept in hundredths of a percent, as integers, so
// that the printed figure and the --require-direct check cannot disagree
// by a rounding step.

#include "kml/stats/program_record.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kml::stats {

struct PathTotals {
  std::uint64_t direct = 0;
  std::uint64_t bypass = 0;
  std::uint64_t slow = 0;

  [[nodiscard]] std::uint64_t calls() const { return direct + bypass + slow; }
  [[nodiscard]] std::uint64_t fast() const { return direct + bypass; }
  PathTotals &operator+=(const PathTotals &other);
  bool operator==(const PathTotals &) const = default;
};

PathTotals totalsOf(const ProgramRecord &record);
PathTotals totalsOf(std::span<const ProgramRecord> records);

// A share in hundredths of a percent: 9980 is 99.80%.
struct Share {
  std::uint64_t hundredths = 0;
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads <=>
  auto operator<=>(const Share &) const = default;
};

// The fast share of the calls, rounded down (so 99.999% never shows as
// 100.00%); nothing when no call was counted.
std::optional<Share> fastShare(const PathTotals &totals);

// "99.80%", or "n/a" for no share.
std::string formatShare(std::optional<Share> share);

// A required share as the user writes it: "90", "99.5", "99.75" (at most
// two decimals, 0 to 100). Nothing if the text is not one.
std::optional<Share> parseShare(std::string_view text);

// True when the calls' fast share is at least `required`; false when no
// call was counted (nothing ran the fast path either).
bool meets(const PathTotals &totals, Share required);

} // namespace kml::stats
