#pragma once
// Reading the text of /sys/kernel/kml/programs into records.
//
// Each line is space-separated key=value pairs with comm last (the rest
// of the line, spaces included). Keys this parser does not know are
// skipped, so a kernel that adds one does not break older tools; a known
// key that is missing or has a bad value is an error naming the line.

#include "kml/stats/program_record.hpp"

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kml::stats {

class ParseError : public std::runtime_error {
public:
  // `line` is 1-based; what() is "line N: <message>".
  ParseError(std::size_t line, const std::string &message);
  [[nodiscard]] std::size_t line() const { return line_; }

private:
  std::size_t line_;
};

// One line, without its newline. Throws ParseError (line 1).
ProgramRecord parseProgramLine(std::string_view line);

// The whole file, in file order; blank lines are skipped. Throws
// ParseError naming the first bad line.
std::vector<ProgramRecord> parsePrograms(std::string_view text);

} // namespace kml::stats
