#include "kml/gate/gate_check.hpp"

#include "kml/gate/appended.hpp"
#include "kml/gate/cms.hpp"

#include <stdexcept>
#include <variant>

namespace kml::gate {
namespace {

GateVerdict refuse(GateReason reason, std::string detail) {
  return GateVerdict::refuse(reason, std::move(detail));
}

// The manifest of an appended signature names exactly this file: one
// PROGRAM entry.
GateVerdict checkShape(const Manifest &manifest) {
  if (manifest.entries.size() != 1) {
    return refuse(GateReason::BAD_MANIFEST,
                  std::to_string(manifest.entries.size()) +
                      " entries in an appended manifest, not 1");
  }
  if (manifest.entries.front().role != Role::Program) {
    return refuse(GateReason::BAD_MANIFEST,
                  "the entry's role is " +
                      std::string(roleName(manifest.entries.front().role)) +
                      ", not program");
  }
  return GateVerdict::allow();
}

GateVerdict checkCovered(const ManifestEntry &entry,
                         std::span<const std::byte> file,
                         std::size_t pkcs7Offset) {
  if (entry.length != pkcs7Offset) {
    if (entry.length < pkcs7Offset) {
      return refuse(GateReason::TAMPERED,
                    std::to_string(pkcs7Offset - entry.length) +
                        " bytes between the covered " +
                        std::to_string(entry.length) +
                        " bytes and the signature");
    }
    return refuse(GateReason::TAMPERED, "the manifest covers " +
                                            std::to_string(entry.length) +
                                            " bytes, the signature starts at " +
                                            std::to_string(pkcs7Offset));
  }
  const Digest actual = sha256(file.first(pkcs7Offset));
  if (actual != entry.digest) {
    return refuse(GateReason::TAMPERED, "SHA-256 " + hexDigits(actual) +
                                            ", the manifest says " +
                                            hexDigits(entry.digest));
  }
  return GateVerdict::allow();
}

} // namespace

GateVerdict checkGeneration(std::uint64_t generation,
                            const GatePolicy &policy) {
  if (generation < policy.minGeneration) {
    return refuse(GateReason::STALE_GENERATION,
                  "generation " + std::to_string(generation) + " < " +
                      std::to_string(policy.minGeneration));
  }
  return GateVerdict::allow();
}

GateVerdict checkEntryPolicy(const ManifestEntry &entry,
                             const GatePolicy &policy) {
  if (entry.assurance < policy.minAssurance) {
    return refuse(GateReason::ASSURANCE_TOO_LOW,
                  std::string(assuranceName(entry.assurance)) + " < " +
                      std::string(assuranceName(policy.minAssurance)));
  }
  if ((entry.flags & KML_MANIFEST_F_RING0) == 0) {
    return refuse(GateReason::NOT_RING0, "the ring0 flag is clear");
  }
  return GateVerdict::allow();
}

GateReport checkSignedManifest(std::span<const std::byte> der,
                               std::span<const Certificate> trusted,
                               ManifestDecoder decode) {
  GateReport report;
  auto verified = verifyContent(der, trusted);
  if (auto *verdict = std::get_if<GateVerdict>(&verified)) {
    report.verdict = std::move(*verdict);
    return report;
  }
  const auto &content = std::get<VerifiedContent>(verified);
  report.signer = content.signer.subject();
  auto decoded = decode(content.content);
  if (const auto *error = std::get_if<kml_manifest_error>(&decoded)) {
    report.verdict = refuse(GateReason::BAD_MANIFEST,
                            std::string(manifestErrorText(*error)));
    return report;
  }
  report.manifest = std::get<Manifest>(std::move(decoded));
  return report;
}

GateReport checkSignedFile(std::span<const std::byte> file,
                           std::span<const Certificate> trusted,
                           const GatePolicy &policy) {
  GateReport report;
  const TrailerScan scan = findAppendedSignature(file);
  if (std::holds_alternative<NoTrailer>(scan)) {
    report.verdict = refuse(GateReason::UNSIGNED, "no appended signature");
    return report;
  }
  if (const auto *malformed = std::get_if<MalformedTrailer>(&scan)) {
    report.verdict = refuse(GateReason::BAD_SIGNATURE, malformed->problem);
    return report;
  }
  const auto &appended = std::get<AppendedSignature>(scan);
  report = checkSignedManifest(appended.pkcs7, trusted, decodeManifest);
  if (!report.verdict.allowed()) {
    return report;
  }
  if (!report.manifest) {
    throw std::logic_error("checkSignedManifest allowed a file without its "
                           "manifest");
  }
  const Manifest &manifest = *report.manifest;
  report.verdict = checkShape(manifest);
  if (!report.verdict.allowed()) {
    return report;
  }
  const ManifestEntry &entry = manifest.entries.front();
  report.verdict = checkCovered(entry, file, appended.pkcs7Offset);
  if (!report.verdict.allowed()) {
    return report;
  }
  report.verdict = checkGeneration(manifest.generation, policy);
  if (report.verdict.allowed()) {
    report.verdict = checkEntryPolicy(entry, policy);
  }
  return report;
}

} // namespace kml::gate
