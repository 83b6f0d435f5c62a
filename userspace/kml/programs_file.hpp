#pragma once
// Finding and reading kml.ko's per-program counters
// (/sys/kernel/kml/programs, see kml/programs.c).

#include "kml/stats/program_record.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace kml {

// The file cannot be read; what() is "PATH: reason" with a hint when the
// file is simply not there (no kml.ko, or one without the counters).
class ProgramsFileError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// $KML_SYSFS_DIR/programs if set (tests point it at a fake file),
// /sys/kernel/kml/programs otherwise.
std::string programsFilePath();

// The records in the file, in file order. Throws ProgramsFileError, or
// stats::ParseError for a malformed line.
std::vector<stats::ProgramRecord> readProgramsFile(const std::string &path);

} // namespace kml
