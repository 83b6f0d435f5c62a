#pragma once
// A scratch directory with its own development key directory
// (XDG_CONFIG_HOME points into it, so the tests never touch the user's
// keys), a copy of a test program, and the kml commands of the gate.

#include "support.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <vector>

namespace kml::test {

class GateTest : public ::testing::Test {
protected:
  void SetUp() override;
  void TearDown() override;

  // A private copy of a tests/marker program.
  fs::path copyProgram(const std::string &name, const std::string &as);
  // kml sign FILE ARGS..., expected to succeed.
  static void signOk(const fs::path &file,
                     const std::vector<std::string> &args = {});
  // kml verify FILE --min-assurance trusted ARGS...
  static RunResult verify(const fs::path &file,
                          const std::vector<std::string> &args = {});
  // The reason name of a refusal line, "allowed", or the whole output when
  // it is neither.
  static std::string outcome(const RunResult &result);

  [[nodiscard]] fs::path keyDir() const;

  TempDir dir_;
  std::string oldConfig_;
  bool hadConfig_ = false;
};

// The offsets of the appended layout of a signed file.
struct SignedLayout {
  std::size_t pkcs7Offset = 0;
  std::size_t pkcs7Size = 0;
  std::size_t infoOffset = 0;
};
SignedLayout layoutOf(const std::vector<std::byte> &file);

// An iterator to offset i of bytes (vector offsets are unsigned, iterator
// arithmetic is not).
template <class Bytes> auto at(Bytes &bytes, std::size_t i) {
  return bytes.begin() + static_cast<std::ptrdiff_t>(i);
}

// The first offset of needle in bytes at or after from; npos if none.
std::size_t findBytes(const std::vector<std::byte> &bytes,
                      std::string_view needle, std::size_t from = 0);

} // namespace kml::test
