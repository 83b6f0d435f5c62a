// The core: loads each TU with its compile command, runs every rule over it
// (AST matchers, whole-TU analyses, claimed Clang warnings), generates code
// once for the frame sizes, and collects findings and attestation records.
#pragma once

#include "core/Attestation.hpp"
#include "core/Finding.hpp"
#include "core/Rule.hpp"

#include <clang/Tooling/CompilationDatabase.h>

#include <memory>
#include <string>
#include <vector>

namespace kml::verify {

class Verifier {
public:
  explicit Verifier(Options options);
  ~Verifier();
  Verifier(const Verifier &) = delete;
  Verifier &operator=(const Verifier &) = delete;

  /// Checks every compile command of \p file. False when the TU could not
  /// be parsed (its errors went to stderr).
  bool verifyFile(const clang::tooling::CompilationDatabase &db,
                  const std::string &file);
  /// Runs the cross-TU rules (stack bound, external functions). Call once,
  /// after the last verifyFile().
  void finish();

  const std::vector<Finding> &findings() const;
  const std::vector<TuAttestation> &attestations() const { return tus_; }

private:
  class Engine;
  std::unique_ptr<Engine> engine_;
  std::vector<TuAttestation> tus_;
};

} // namespace kml::verify
