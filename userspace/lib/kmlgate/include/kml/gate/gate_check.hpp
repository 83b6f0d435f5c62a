#pragma once
// The gate's check of a signed program, as kml.ko makes it at exec, for
// `kml verify`: the appended signature, the signer, the manifest, the
// covered bytes, then the policy, in that order; the first failure is the
// verdict.

#include "kml/gate/certificate.hpp"
#include "kml/gate/manifest.hpp"
#include "kml/gate/reasons.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace kml::gate {

// The kernel's /sys/kernel/kml/min_assurance and min_generation.
struct GatePolicy {
  Assurance minAssurance = Assurance::Verified;
  std::uint64_t minGeneration = 0;
};

struct GateReport {
  GateVerdict verdict = GateVerdict::allow();
  // Known once the signature verified and the content is a manifest.
  std::optional<Manifest> manifest;
  std::optional<std::string> signer; // the trusted certificate's subject
};

GateReport checkSignedFile(std::span<const std::byte> file,
                           std::span<const Certificate> trusted,
                           const GatePolicy &policy);

} // namespace kml::gate
