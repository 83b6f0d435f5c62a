#pragma once
// What `kml sign --assurance verified` needs from kml-verify's attestation
// (verifier/src/core/Attestation.cpp writes it): did every check pass, which
// binary was checked, under which rule set.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kml::gate {

struct AttestationSummary {
  bool passed = false;                     // "result": "pass"
  std::uint32_t rulesetVersion = 0;        // "ruleset_version"
  std::optional<std::string> binarySha256; // "binary": {"sha256"}
  std::uint64_t binaryFindings = 0;
  std::uint64_t translationUnits = 0;
};

// Throws GateError when json is not a kml-verify attestation of format 1.
AttestationSummary readAttestation(std::string_view json);

} // namespace kml::gate
