// The attestation: which sources, flags and rule set a verdict applies to.
// `kml build` signs it together with the binary.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kml::verify {

struct TuAttestation {
  std::string file;
  std::string sourceSha256;
  std::vector<std::string> flags; // the compile command as checked
  std::string flagsSha256;
  /// Digest over every file the preprocessor read (path and bytes, in
  /// include order): binds headers, not just the main file.
  std::string inputsSha256;
  std::size_t inputFiles = 0;
  std::size_t findings = 0;
  bool parsed = false;
};

struct BinaryAttestation {
  std::string file;
  std::string sha256;
  std::size_t findings = 0;
};

struct AttestationData {
  std::vector<TuAttestation> tus;
  std::optional<BinaryAttestation> binary;
  std::uint64_t stackLimit = 0;
  std::uint64_t externalCallBudget = 0;
  std::size_t findings = 0;
  bool passed = false;
};

/// Hash of a command line: each argument followed by a NUL, so that
/// {"a b"} and {"a", "b"} differ.
std::string flagsSha256(const std::vector<std::string> &flags);

std::string attestationJson(const AttestationData &data);

} // namespace kml::verify
