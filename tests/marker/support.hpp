#pragma once
// Helpers for the marker tests: scratch directories, running programs as
// subprocesses, and reading/patching files byte by byte.

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>

#include "kml/testing/file_modes.hpp"
#include "kml/testing/temp_dir.hpp"
#include <optional>
#include <string>
#include <vector>

namespace kml::test {

namespace fs = std::filesystem;

using kml::testing::kMode0444;
using kml::testing::kMode0555;
using kml::testing::kMode0644;
using kml::testing::kMode0750;
using kml::testing::kMode0755;

using TempDir = kml::testing::TempDir;

struct RunResult {
  int exitCode = -1; // -1 if killed by a signal
  std::string out;
  std::string err;
};

// Runs argv[0] (a path) with the given arguments; optionally as another
// user (tests running as root use it where permissions must bite).
RunResult run(const std::vector<std::string> &argv,
              std::optional<uid_t> asUser = std::nullopt);
// Runs the kml command under test.
RunResult kml(const std::vector<std::string> &args,
              std::optional<uid_t> asUser = std::nullopt);

std::vector<std::byte> readBytes(const fs::path &path);
void writeBytes(const fs::path &path, const std::vector<std::byte> &bytes,
                fs::perms perms = kMode0755);
// Copies a file keeping its permission bits.
void copyFile(const fs::path &from, const fs::path &to);

// The test programs built by CMake, and the names that can be executed.
fs::path program(const std::string &name);
std::vector<std::string> runnablePrograms();
// A program name as a GoogleTest parameter name ('-' is not allowed).
std::string paramName(const std::string &program);

// A snapshot of a file's identity and content, to prove a failed command
// left it alone (same inode: not replaced; same bytes: not rewritten).
struct FileSnapshot {
  ino_t inode = 0;
  mode_t mode = 0;
  std::vector<std::byte> bytes;
  bool operator==(const FileSnapshot &) const = default;
};
FileSnapshot snapshot(const fs::path &path);

// Names of the entries in a directory, to spot leftover temporary files.
std::vector<std::string> listDir(const fs::path &dir);

template <class T> T load(const std::vector<std::byte> &bytes, std::size_t at) {
  T value{};
  std::memcpy(&value, bytes.data() + at, sizeof value);
  return value;
}
template <class T>
void store(std::vector<std::byte> &bytes, std::size_t at, const T &value) {
  std::memcpy(bytes.data() + at, &value, sizeof value);
}

// The offsets at which two byte strings of equal size differ.
std::vector<std::size_t> differingOffsets(const std::vector<std::byte> &a,
                                          const std::vector<std::byte> &b);

} // namespace kml::test
