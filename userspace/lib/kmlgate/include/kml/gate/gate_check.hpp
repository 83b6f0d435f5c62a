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
#include <variant>

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

// How a manifest is read from signed content: decodeManifest(), or
// decodeApprovalList() for a list.
using ManifestDecoder = std::variant<Manifest, kml_manifest_error> (*)(
    std::span<const std::byte> content);

// The signature's part of the check, shared with approval lists: der
// against the trusted certificates (bad-signature, unknown-key), then its
// content through decode (bad-manifest). The signer and manifest are set
// as far as the check got.
GateReport checkSignedManifest(std::span<const std::byte> der,
                               std::span<const Certificate> trusted,
                               ManifestDecoder decode);

// The policy's part of the check, shared with approval lists: the
// manifest's generation (stale-generation), then an entry's assurance
// (assurance-too-low) and RING0 flag (not-ring0).
GateVerdict checkGeneration(std::uint64_t generation, const GatePolicy &policy);
GateVerdict checkEntryPolicy(const ManifestEntry &entry,
                             const GatePolicy &policy);

} // namespace kml::gate
