#pragma once
// BenchReport collects the "BENCH <syscall> <path> <value>" lines that
// kml-bench prints in the VM, one set per VM configuration (pti on/off,
// instruction counts or wall time), and renders them as a Markdown table
// and an SVG bar chart.

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kml::bench {

// One VM run: its name ("pti=on, instructions") and what kml-bench printed.
struct Configuration {
  std::string name;
  bool instructions = false; // figures are guest instructions, not ns
  // syscall -> path -> median cost of one call
  std::map<std::string, std::map<std::string, double>> figures;
};

// Paths in the order the table shows them.
inline constexpr std::string_view kPaths[] = {"ring3", "ring0-slow",
                                              "ring0-direct", "ring0-bypass"};

// Reads BENCH lines from a guest log; other lines are ignored. Returns
// nothing if the log holds no BENCH line at all (the run failed).
std::optional<Configuration> parseLog(std::istream &log, std::string name,
                                      bool instructions);

// The syscalls in the order they first appear.
std::vector<std::string> syscallsOf(const std::vector<Configuration> &runs);

void writeMarkdown(std::ostream &out, const std::vector<Configuration> &runs);
void writeSvg(std::ostream &out, const std::vector<Configuration> &runs);

} // namespace kml::bench
