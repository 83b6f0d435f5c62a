// Function symbols of one code region, sorted for the scanner (resync points,
// function ends) and for naming findings ("name+0xOFF").
#pragma once

#include "kml/binary_validator.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace kml::binval::detail {

class SymbolIndex {
public:
  // Keeps the symbols that start inside [begin, end). When several symbols
  // share an address the first one in `symbols` names it (callers put the
  // preferred alias first) and the largest size wins.
  SymbolIndex(std::span<const Symbol> symbols, std::uint64_t begin,
              std::uint64_t end);

  // Sorted, unique start addresses: decoding restarts exactly here.
  const std::vector<std::uint64_t> &starts() const { return starts_; }
  // Sorted, unique end addresses of sized symbols: padding may follow.
  const std::vector<std::uint64_t> &ends() const { return ends_; }

  // "name+0xOFF" for the closest symbol at or below `address`, "?" if none.
  std::string describe(std::uint64_t address) const;

  bool empty() const { return entries_.empty(); }
  // True when a sized symbol covers `address` (nested symbols included).
  bool covers(std::uint64_t address) const;

private:
  struct Entry {
    std::uint64_t address;
    std::uint64_t size;
    std::string name;
  };
  std::vector<Entry> entries_;        // sorted by address, unique addresses
  std::vector<std::uint64_t> maxEnd_; // max end of entries_[0..i]
  std::vector<std::uint64_t> starts_;
  std::vector<std::uint64_t> ends_;
};

} // namespace kml::binval::detail
