#include "list_summary.hpp"

#include "name_list.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>

namespace kml {
namespace {

// Merges shown by name; beyond that a count keeps the summary on a screen
// (a merged-/usr system has many files twice).
constexpr std::size_t kMergesShown = 5;

std::string countOf(std::size_t count, std::string_view one,
                    std::string_view many) {
  return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

std::string roleCounts(const gate::Manifest &list) {
  const auto count = [&](gate::Role role) {
    return static_cast<std::size_t>(
        std::ranges::count(list.entries, role, &gate::ManifestEntry::role));
  };
  return countOf(count(gate::Role::Program), "program", "programs") + ", " +
         countOf(count(gate::Role::Interpreter), "interpreter",
                 "interpreters") +
         ", " + countOf(count(gate::Role::Library), "library", "libraries");
}

} // namespace

void printListSummary(std::ostream &out, const ListSummary &summary) {
  const gate::Manifest &list = summary.list;
  std::uint64_t covered = 0;
  for (const gate::ManifestEntry &entry : list.entries) {
    covered += entry.length;
  }
  out << "kml sign: approval list " << summary.output << "\n"
      << "  entries    " << list.entries.size() << ": " << roleCounts(list)
      << "\n"
      << "  covered    " << covered << " bytes\n";
  if (!summary.merged.empty()) {
    out << "  merged     " << summary.merged.size()
        << (summary.merged.size() == 1 ? " file" : " files")
        << " with the same bytes as another (one entry each):";
    const std::size_t shown = std::min(summary.merged.size(), kMergesShown);
    for (std::size_t i = 0; i < shown; ++i) {
      out << "\n             " << summary.merged[i].file << " = "
          << summary.merged[i].sameAs;
    }
    if (shown < summary.merged.size()) {
      out << "\n             and " << summary.merged.size() - shown << " more";
    }
    out << "\n";
  }
  out << "  generation " << list.generation << "\n"
      << "  approves   "
      << joinNames(gate::manifestFlagNames(list.entries.front().flags))
      << ", assurance " << gate::assuranceName(list.entries.front().assurance)
      << "\n"
      << "  key        " << summary.signer << "\n"
      << "  size       " << summary.size << " bytes\n";
}

} // namespace kml
