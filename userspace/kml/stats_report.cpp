#include "stats_report.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <iomanip>
#include <ios>
#include <sstream>
#include <vector>

namespace kml {
namespace {

constexpr std::array<const char *, 9> kColumns{"SEQ",   "PID",     "STATE",
                                               "CALLS", "DIRECT",  "BYPASS",
                                               "SLOW",  "DIRECT%", "COMM"};

std::vector<std::string> row(const stats::ProgramRecord &record) {
  const stats::PathTotals totals = stats::totalsOf(record);
  return {std::to_string(record.seq),
          std::to_string(record.pid),
          record.state,
          std::to_string(totals.calls()),
          std::to_string(record.direct),
          std::to_string(record.bypass),
          std::to_string(record.slow),
          stats::formatShare(stats::fastShare(totals)),
          record.comm};
}

std::string hex(std::uint64_t value) {
  std::ostringstream out;
  out << "0x" << std::hex << value;
  return out.str();
}

} // namespace

void printTable(std::ostream &out,
                std::span<const stats::ProgramRecord> records) {
  std::vector<std::vector<std::string>> rows;
  rows.emplace_back(kColumns.begin(), kColumns.end());
  for (const stats::ProgramRecord &record : records) {
    rows.push_back(row(record));
  }
  std::vector<std::size_t> widths(kColumns.size(), 0);
  for (const auto &cells : rows) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      widths[i] = std::max(widths[i], cells[i].size());
    }
  }
  // Text columns (state, comm) left-aligned, numbers right-aligned; comm
  // is last and not padded, so lines carry no trailing blanks.
  constexpr std::size_t kState = 2;
  constexpr std::size_t kComm = kColumns.size() - 1;
  for (const auto &cells : rows) {
    for (std::size_t i = 0; i < kComm; ++i) {
      out << (i == kState ? std::left : std::right)
          << std::setw(static_cast<int>(widths[i])) << cells[i] << "  ";
    }
    out << std::right << cells[kComm] << "\n";
  }
}

std::string describeTotals(const stats::PathTotals &totals) {
  std::ostringstream out;
  out << totals.calls() << " calls, " << totals.direct << " direct, "
      << totals.bypass << " bypass, " << totals.slow
      << " slow: " << stats::formatShare(stats::fastShare(totals)) << " direct";
  return out.str();
}

void printProgram(std::ostream &out, const stats::ProgramRecord &record) {
  out << "program " << record.seq << " (pid " << record.pid << ", "
      << record.state << ") " << record.comm << ": "
      << describeTotals(stats::totalsOf(record)) << "\n";
  for (const stats::SlowSite &site : record.sites) {
    out << "  slow site " << hex(site.address) << ": " << site.count
        << " calls\n";
  }
  if (record.elsewhere != 0) {
    out << "  slow elsewhere (beyond the listed sites): " << record.elsewhere
        << " calls\n";
  }
}

} // namespace kml
