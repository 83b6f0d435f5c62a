#pragma once
// A scratch directory for `kml build`: its own signing key (made with
// `kml key new`), its own TMPDIR (to see that a build leaves nothing
// behind) and the real kml-verify in PATH, as an installed kml finds it:
// the source rules and the binary validator both decide.

#include "support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kml::test {

// Sets an environment variable for as long as it lives.
class ScopedEnv {
public:
  ScopedEnv(std::string name, const std::string &value);
  ScopedEnv(const ScopedEnv &) = delete;
  ScopedEnv &operator=(const ScopedEnv &) = delete;
  ScopedEnv(ScopedEnv &&) = delete;
  ScopedEnv &operator=(ScopedEnv &&) = delete;
  ~ScopedEnv();

private:
  std::string name_;
  std::string old_;
  bool had_ = false;
};

class BuildTest : public ::testing::Test {
protected:
  BuildTest();

  // Writes a file (a source, a header, a database) into the scratch
  // directory; some callers want only the file.
  // NOLINTNEXTLINE(modernize-use-nodiscard)
  fs::path source(const std::string &name, const std::string &text) const;
  // kml build ARGS... -o OUT, signed with this test's key.
  [[nodiscard]] RunResult build(const std::vector<std::string> &args,
                                const fs::path &out) const;
  // kml verify OUT trusting only this test's key, at the kernel's default
  // minimum (verified): "allowed", or the output.
  [[nodiscard]] std::string verifyOutcome(const fs::path &out) const;

  [[nodiscard]] fs::path keyDir() const { return dir_ / "keys"; }
  [[nodiscard]] fs::path cert() const { return keyDir() / "test.pem"; }
  [[nodiscard]] fs::path tmpDir() const { return dir_ / "tmp"; }

  TempDir dir_;
  ScopedEnv config_;
  ScopedEnv tmp_;
  ScopedEnv path_;
};

// The KML-Rnnn / KML-Bnnn IDs in brackets in text, sorted, each once.
std::vector<std::string> ruleIds(const std::string &text);

} // namespace kml::test
