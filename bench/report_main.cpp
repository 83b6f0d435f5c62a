// kml-benchreport: turns the guest logs of `make bench` into a Markdown
// table and an SVG bar chart, and prints the table.
//
//   kml-benchreport OUTDIR NAME=LOG[:instructions]...

#include "bench_report.hpp"

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char **argv) {
  if (argc < 3) {
    std::cerr << "usage: kml-benchreport OUTDIR NAME=LOG[:instructions]...\n";
    return 2;
  }
  const std::string outDir = argv[1];
  std::vector<kml::bench::Configuration> runs;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    const auto eq = arg.find('=');
    if (eq == std::string::npos) {
      std::cerr << "kml-benchreport: '" << arg << "' is not NAME=LOG\n";
      return 2;
    }
    std::string path = arg.substr(eq + 1);
    const std::string suffix = ":instructions";
    const bool instructions = path.ends_with(suffix);
    if (instructions) {
      path.resize(path.size() - suffix.size());
    }
    std::ifstream log(path);
    if (!log) {
      std::cerr << "kml-benchreport: cannot read " << path << '\n';
      return 1;
    }
    auto run = kml::bench::parseLog(log, arg.substr(0, eq), instructions);
    if (!run) {
      std::cerr << "kml-benchreport: " << path
                << " has no BENCH lines: the VM run failed (see the log)\n";
      return 1;
    }
    runs.push_back(std::move(*run));
  }
  std::ofstream md(outDir + "/results.md");
  std::ofstream svg(outDir + "/results.svg");
  if (!md || !svg) {
    std::cerr << "kml-benchreport: cannot write into " << outDir << '\n';
    return 1;
  }
  kml::bench::writeMarkdown(md, runs);
  kml::bench::writeSvg(svg, runs);
  kml::bench::writeMarkdown(std::cout, runs);
  std::cout << "(written to " << outDir << "/results.md and results.svg)\n";
  return 0;
}
