#pragma once
// How `kml stats` shows program records: a table of all of them, or one
// program per line with its slow sites under it.

#include "kml/stats/coverage.hpp"
#include "kml/stats/program_record.hpp"

#include <ostream>
#include <span>
#include <string>

namespace kml {

// One row per record, columns aligned, comm last.
void printTable(std::ostream &out,
                std::span<const stats::ProgramRecord> records);

// "N calls, D direct, B bypass, S slow: XX.XX% direct".
std::string describeTotals(const stats::PathTotals &totals);

// "program SEQ (pid PID, STATE) COMM: <totals>", then one
// "  slow site 0xADDR: N calls" line per site and the calls elsewhere.
void printProgram(std::ostream &out, const stats::ProgramRecord &record);

} // namespace kml
