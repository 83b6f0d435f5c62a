#pragma once
// Running the kml binary from a test: arguments, environment changes, and
// standard output to a file or to a pseudo-terminal (so that kml sees a
// terminal, as a person's shell would give it).

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kml::clitest {

struct KmlRun {
  std::vector<std::string> args;
  // Set (a value) or unset (nullopt) in kml's environment; the rest is
  // this process's.
  std::map<std::string, std::optional<std::string>> env;
  // Standard output on a pseudo-terminal instead of a file.
  bool onTerminal = false;
};

struct KmlResult {
  int exitCode = -1; // 128 + signal if killed
  std::string out;   // what reached the file or the terminal
  std::string err;
};

KmlResult runKml(const KmlRun &run);

// The whole of a file; "" if it is not there.
std::string readFile(const std::string &path);

} // namespace kml::clitest
