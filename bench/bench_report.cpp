#include "bench_report.hpp"

#include <algorithm>
#include <array>
#include <iomanip>
#include <istream>
#include <ostream>
#include <sstream>

namespace kml::bench {
namespace {

std::string format(double value, bool instructions) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(instructions ? 0 : 1) << value;
  return text.str();
}

std::optional<double> figure(const Configuration &run, const std::string &sc,
                             std::string_view path) {
  const auto bySyscall = run.figures.find(sc);
  if (bySyscall == run.figures.end()) {
    return std::nullopt;
  }
  const auto byPath = bySyscall->second.find(std::string(path));
  if (byPath == bySyscall->second.end()) {
    return std::nullopt;
  }
  return byPath->second;
}

} // namespace

std::optional<Configuration> parseLog(std::istream &log, std::string name,
                                      bool instructions) {
  Configuration run{std::move(name), instructions, {}};
  std::string line;
  while (std::getline(log, line)) {
    std::istringstream words(line);
    std::string tag;
    std::string sc;
    std::string path;
    double value = 0;
    if (words >> tag >> sc >> path >> value && tag == "BENCH") {
      run.figures[sc][path] = value;
    }
  }
  if (run.figures.empty()) {
    return std::nullopt;
  }
  return run;
}

std::vector<std::string> syscallsOf(const std::vector<Configuration> &runs) {
  std::vector<std::string> out;
  for (const auto &run : runs) {
    for (const auto &entry : run.figures) {
      if (std::ranges::find(out, entry.first) == out.end()) {
        out.push_back(entry.first);
      }
    }
  }
  return out;
}

void writeMarkdown(std::ostream &out, const std::vector<Configuration> &runs) {
  for (const auto &run : runs) {
    out << "### " << run.name << " ("
        << (run.instructions ? "guest instructions per call"
                             : "median ns per call")
        << ")\n\n| syscall |";
    for (const auto path : kPaths) {
      out << ' ' << path << " |";
    }
    out << " ring3 / ring0-direct |\n|---|";
    for (std::size_t i = 0; i <= std::size(kPaths); ++i) {
      out << "---:|";
    }
    out << '\n';
    for (const auto &sc : syscallsOf(runs)) {
      out << "| " << sc << " |";
      for (const auto path : kPaths) {
        const auto v = figure(run, sc, path);
        out << ' ' << (v ? format(*v, run.instructions) : "n/a") << " |";
      }
      const auto ring3 = figure(run, sc, "ring3");
      const auto direct = figure(run, sc, "ring0-direct");
      if (ring3 && direct && *direct > 0) {
        std::ostringstream ratio;
        ratio << std::fixed << std::setprecision(2) << *ring3 / *direct << 'x';
        out << ' ' << ratio.str() << " |\n";
      } else {
        out << " n/a |\n";
      }
    }
    out << '\n';
  }
}

void writeSvg(std::ostream &out, const std::vector<Configuration> &runs) {
  // One group of bars per (configuration, syscall), one bar per path,
  // each configuration scaled to its own maximum.
  constexpr int kBar = 10;
  constexpr int kGap = 14;
  constexpr int kHeight = 180;
  constexpr int kLeft = 40;
  const auto syscalls = syscallsOf(runs);
  const int groupWidth = static_cast<int>(std::size(kPaths)) * kBar + kGap;
  const int panelWidth = static_cast<int>(syscalls.size()) * groupWidth;
  const int width = kLeft + panelWidth + 20;
  const int panelHeight = kHeight + 90;
  const int height = static_cast<int>(runs.size()) * panelHeight + 40;
  constexpr std::array<std::string_view, 4> kColours{"#4e79a7", "#f28e2b",
                                                     "#59a14f", "#b07aa1"};

  out << "<svg xmlns='http://www.w3.org/2000/svg' width='" << width
      << "' height='" << height << "' font-family='sans-serif' "
      << "font-size='10'>\n";
  for (std::size_t p = 0; p < std::size(kPaths); ++p) {
    out << "<rect x='" << kLeft + static_cast<int>(p) * 110 << "' y='6' "
        << "width='10' height='10' fill='" << kColours[p] << "'/>"
        << "<text x='" << kLeft + static_cast<int>(p) * 110 + 14 << "' y='15'>"
        << kPaths[p] << "</text>\n";
  }
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const auto &run = runs[r];
    const int top = 30 + static_cast<int>(r) * panelHeight;
    double maxValue = 1;
    for (const auto &sc : syscalls) {
      for (const auto path : kPaths) {
        maxValue = std::max(maxValue, figure(run, sc, path).value_or(0));
      }
    }
    out << "<text x='" << kLeft << "' y='" << top + 10 << "' "
        << "font-weight='bold'>" << run.name << " ("
        << (run.instructions ? "instructions" : "ns") << " per call, max "
        << format(maxValue, run.instructions) << ")</text>\n";
    const int base = top + 20 + kHeight;
    for (std::size_t s = 0; s < syscalls.size(); ++s) {
      const int x0 = kLeft + static_cast<int>(s) * groupWidth;
      for (std::size_t p = 0; p < std::size(kPaths); ++p) {
        const auto v = figure(run, syscalls[s], kPaths[p]);
        if (!v) {
          continue;
        }
        const int h = static_cast<int>(*v / maxValue * kHeight);
        out << "<rect x='" << x0 + static_cast<int>(p) * kBar << "' y='"
            << base - h << "' width='" << kBar - 1 << "' height='" << h
            << "' fill='" << kColours[p] << "'><title>" << syscalls[s] << ' '
            << kPaths[p] << ": " << format(*v, run.instructions)
            << "</title></rect>\n";
      }
      out << "<text x='" << x0 << "' y='" << base + 12
          << "' transform='rotate(30 " << x0 << ' ' << base + 12 << ")'>"
          << syscalls[s] << "</text>\n";
    }
  }
  out << "</svg>\n";
}

} // namespace kml::bench
