#include "symbol_index.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>

namespace kml::binval::detail {

SymbolIndex::SymbolIndex(std::span<const Symbol> symbols, std::uint64_t begin,
                         std::uint64_t end) {
  for (const Symbol &symbol : symbols)
    if (symbol.address >= begin && symbol.address < end)
      entries_.push_back({symbol.address, symbol.size, symbol.name});
  // Stable: among aliases the caller's preferred (first) one stays first.
  // (std::stable_sort would do, but libstdc++ 12's version trips clang's
  // deprecation warnings; sorting indices with a tie-break is equivalent.)
  std::vector<std::size_t> order(entries_.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::ranges::sort(order, [&](std::size_t a, std::size_t b) {
    return entries_[a].address != entries_[b].address
               ? entries_[a].address < entries_[b].address
               : a < b;
  });
  std::vector<Entry> sorted;
  sorted.reserve(entries_.size());
  for (std::size_t i : order)
    sorted.push_back(std::move(entries_[i]));
  entries_ = std::move(sorted);
  std::vector<Entry> unique;
  unique.reserve(entries_.size());
  for (Entry &entry : entries_) {
    if (!unique.empty() && unique.back().address == entry.address) {
      unique.back().size = std::max(unique.back().size, entry.size);
      continue;
    }
    unique.push_back(std::move(entry));
  }
  entries_ = std::move(unique);

  maxEnd_.reserve(entries_.size());
  for (const Entry &entry : entries_)
    maxEnd_.push_back(std::max(maxEnd_.empty() ? 0 : maxEnd_.back(),
                               entry.address + entry.size));

  starts_.reserve(entries_.size());
  for (const Entry &entry : entries_) {
    starts_.push_back(entry.address);
    if (entry.size != 0)
      ends_.push_back(entry.address + entry.size);
  }
  std::ranges::sort(ends_);
  ends_.erase(std::ranges::unique(ends_).begin(), ends_.end());
}

std::string SymbolIndex::describe(std::uint64_t address) const {
  auto after = std::ranges::upper_bound(entries_, address, {}, &Entry::address);
  if (after == entries_.begin())
    return "?";
  const Entry &entry = *std::prev(after);
  std::array<char, 16> digits{};
  char *end = std::to_chars(digits.data(), digits.data() + digits.size(),
                            address - entry.address, 16)
                  .ptr;
  return entry.name + "+0x" + std::string(digits.data(), end);
}

bool SymbolIndex::covers(std::uint64_t address) const {
  auto after = std::ranges::upper_bound(entries_, address, {}, &Entry::address);
  if (after == entries_.begin())
    return false;
  return maxEnd_[static_cast<std::size_t>(after - entries_.begin()) - 1] >
         address;
}

} // namespace kml::binval::detail
