#pragma once
// Helpers for the rewrite tests: scratch directories, running programs as
// subprocesses with captured output, and the programs built by CMake.

#include <cstddef>
#include <filesystem>

#include "kml/testing/temp_dir.hpp"
#include <optional>
#include <string>
#include <vector>

namespace kml::rwtest {

namespace fs = std::filesystem;

using TempDir = kml::testing::TempDir;

struct RunResult {
  int exitCode = -1; // 128 + signal number if killed by a signal
  std::string out;
  std::string err;
  bool operator==(const RunResult &) const = default;
};

// Runs argv (argv[0] is a path) with `input` on stdin and extra
// environment entries ("NAME=value") added to the test's own.
RunResult run(const std::vector<std::string> &argv,
              const std::string &input = "",
              const std::vector<std::string> &env = {});
// /bin/sh -c script.
RunResult shell(const std::string &script);
// The kml command under test.
RunResult kml(const std::vector<std::string> &args);

std::vector<std::byte> readBytes(const fs::path &path);
void writeBytes(const fs::path &path, const std::vector<std::byte> &bytes);

fs::path program(const std::string &name);
std::vector<std::string> realPrograms();
// A program name as a GoogleTest parameter name.
std::string paramName(std::string name);
// The kml-binval command, if this build or $KML_BINVAL has one.
std::optional<fs::path> binval();

} // namespace kml::rwtest
