#pragma once
// What vouches for a program before `kml sign` gives it an assurance above
// trusted: the binary validator passing (validated), or kml-verify's
// attestation that its source rules and the validator passed for exactly
// these bytes (verified).

#include "kml/gate/manifest.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>

namespace kml {

// The check said no: kml sign refuses to sign (exit 1).
class EvidenceRefused : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// What the manifest records of the evidence.
struct Evidence {
  std::uint32_t rulesetVersion = 0;
  gate::Digest attestation{};
};

struct EvidenceRequest {
  gate::Assurance assurance = gate::Assurance::Trusted;
  std::string file;                   // the program as named by the user
  std::span<const std::byte> program; // its bytes, any old signature removed
  bool programIsWholeFile = true;     // false when a signature was removed
  gate::Digest digest{};              // SHA-256 of program
  std::optional<std::string> attestationPath;
};

// Checks what the assurance needs; an attestation, when given, must be a
// passing one for these bytes whatever the assurance. Throws
// EvidenceRefused, or gate::GateError when a check cannot run.
Evidence gatherEvidence(const EvidenceRequest &request);

} // namespace kml
