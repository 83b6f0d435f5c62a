#pragma once
// Approval lists under test: private copies of one file of each role
// (tests/marker's programs, this suite's shared objects), `kml sign
// --list` on them, and the list read back through kml_gate.

#include "gate_fixture.hpp"

#include "kml/gate/manifest.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kml::test {

class ListTest : public GateTest {
protected:
  void SetUp() override;

  // One file of each kind the roles tell apart, in dir_/in/.
  fs::path staticProgram_;   // ET_EXEC
  fs::path staticPie_;       // ET_DYN, DF_1_PIE, no PT_INTERP
  fs::path dynamicProgram_;  // ET_DYN, DF_1_PIE, PT_INTERP
  fs::path library_;         // ET_DYN, DT_SONAME
  fs::path runnableLibrary_; // ET_DYN, DT_SONAME and PT_INTERP (libc.so.6)
  fs::path loader_;          // ET_DYN, DT_SONAME ld-linux-..., no PT_INTERP
  [[nodiscard]] std::vector<fs::path> allInputs() const;

  // A copy in dir_/in/ of a program of tests/marker or this suite.
  fs::path copyInput(const fs::path &from, const std::string &as);

  // kml sign --list OUT FILES... ARGS...
  static RunResult signList(const fs::path &out,
                            const std::vector<fs::path> &files,
                            const std::vector<std::string> &args = {});
  // The same, expected to succeed: the list at dir_/list.
  fs::path signListOk(const std::vector<fs::path> &files,
                      const std::vector<std::string> &args = {});

  // The list in file, through kml_gate, without checking the signature.
  static gate::Manifest readList(const fs::path &file);
  // The entry of file's bytes in list.
  static std::optional<gate::ManifestEntry> entryFor(const gate::Manifest &list,
                                                     const fs::path &file);

  // kml verify --list LIST FILES... --min-assurance trusted ARGS...
  static RunResult verifyList(const fs::path &list,
                              const std::vector<fs::path> &files,
                              const std::vector<std::string> &args = {});
  // Each line "NAME: allowed: ..." or "NAME: refused: REASON: ..." as
  // NAME -> "allowed" or REASON.
  static std::map<std::string, std::string> outcomes(const RunResult &result);
};

// A shared object of this suite (programs/shared.c).
fs::path gateProgram(const std::string &name);

} // namespace kml::test
