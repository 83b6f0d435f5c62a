#include "kml/gate/manifest.hpp"

#include "kml/gate/gate_error.hpp"

#include <algorithm>
#include <cstring>

namespace kml::gate {
namespace {

constexpr std::size_t kHeaderSize = sizeof(kml_manifest_header);
constexpr std::size_t kEntrySize = sizeof(kml_manifest_entry);

// The header's sizes are part of the format: 32 and 88 bytes on every ABI
// (no implicit padding), which the kernel and the tools rely on.
static_assert(kHeaderSize == 32);
static_assert(kEntrySize == 88);
static_assert(sizeof(kml_sig_info) == 12);

kml_manifest_entry encodeEntry(const ManifestEntry &entry) {
  kml_manifest_entry raw{};
  std::ranges::copy(entry.digest, std::begin(raw.digest));
  raw.length = __cpu_to_le64(entry.length);
  raw.digest_algo = KML_DIGEST_SHA256;
  raw.role = static_cast<__u8>(entry.role);
  raw.assurance = static_cast<__u8>(entry.assurance);
  raw.flags = __cpu_to_le32(entry.flags);
  raw.ruleset_version = __cpu_to_le32(entry.rulesetVersion);
  std::ranges::copy(entry.attestation, std::begin(raw.attestation));
  return raw;
}

ManifestEntry decodeEntry(const kml_manifest_entry &raw) {
  ManifestEntry entry;
  std::ranges::copy(raw.digest, entry.digest.begin());
  entry.length = __le64_to_cpu(raw.length);
  entry.role = static_cast<Role>(raw.role);
  entry.assurance = static_cast<Assurance>(raw.assurance);
  entry.flags = __le32_to_cpu(raw.flags);
  entry.rulesetVersion = __le32_to_cpu(raw.ruleset_version);
  std::ranges::copy(raw.attestation, entry.attestation.begin());
  return entry;
}

} // namespace

std::string_view roleName(Role role) {
  switch (role) {
  case Role::Program:
    return "program";
  case Role::Interpreter:
    return "interpreter";
  case Role::Library:
    return "library";
  }
  return "unknown";
}

std::string_view assuranceName(Assurance assurance) {
  switch (assurance) {
  case Assurance::Trusted:
    return "trusted";
  case Assurance::Validated:
    return "validated";
  case Assurance::Verified:
    return "verified";
  }
  return "unknown";
}

std::optional<Assurance> parseAssurance(std::string_view name) {
  for (const Assurance assurance :
       {Assurance::Trusted, Assurance::Validated, Assurance::Verified}) {
    if (assuranceName(assurance) == name) {
      return assurance;
    }
  }
  return std::nullopt;
}

std::vector<std::string> manifestFlagNames(std::uint32_t flags) {
  std::vector<std::string> names;
  if ((flags & KML_MANIFEST_F_RING0) != 0) {
    names.emplace_back("ring0");
  }
  if ((flags & KML_MANIFEST_F_BYPASS) != 0) {
    names.emplace_back("bypass");
  }
  static constexpr std::string_view kDigits = "0123456789abcdef";
  for (unsigned bit = 0; bit < 32; ++bit) {
    const std::uint32_t mask = 1U << bit;
    if ((flags & mask) != 0 && (KML_MANIFEST_F_KNOWN & mask) == 0) {
      std::string hex;
      for (std::uint32_t rest = mask; rest != 0; rest >>= 4) {
        hex.insert(hex.begin(), kDigits[rest & 0xf]);
      }
      names.push_back("0x" + hex);
    }
  }
  return names;
}

std::vector<std::byte> encodeManifest(const Manifest &manifest) {
  if (manifest.entries.empty() ||
      manifest.entries.size() > KML_MANIFEST_MAX_ENTRIES) {
    throw GateError("a manifest holds 1 to " +
                    std::to_string(KML_MANIFEST_MAX_ENTRIES) +
                    " entries, not " + std::to_string(manifest.entries.size()));
  }
  kml_manifest_header header{};
  std::memcpy(header.magic, KML_MANIFEST_MAGIC, KML_MANIFEST_MAGIC_LEN);
  header.version = __cpu_to_le16(KML_MANIFEST_VERSION);
  header.header_size = __cpu_to_le16(kHeaderSize);
  header.entry_size = __cpu_to_le16(kEntrySize);
  header.entry_count = __cpu_to_le16(manifest.entries.size());
  header.generation = __cpu_to_le64(manifest.generation);

  std::vector<std::byte> bytes(kHeaderSize +
                               manifest.entries.size() * kEntrySize);
  std::memcpy(bytes.data(), &header, kHeaderSize);
  std::size_t offset = kHeaderSize;
  for (const ManifestEntry &entry : manifest.entries) {
    const kml_manifest_entry raw = encodeEntry(entry);
    std::memcpy(bytes.data() + offset, &raw, kEntrySize);
    offset += kEntrySize;
  }
  // What we write must be what every reader accepts.
  if (kml_manifest_check(bytes.data(), bytes.size()) != KML_MANIFEST_OK) {
    throw GateError("the manifest to sign is not well formed (an unknown "
                    "role, assurance or flag)");
  }
  return bytes;
}

std::string_view manifestErrorText(kml_manifest_error error) {
  switch (error) {
  case KML_MANIFEST_OK:
    return "a well-formed manifest";
  case KML_MANIFEST_E_SHORT:
    return "fewer bytes than the manifest header says";
  case KML_MANIFEST_E_MAGIC:
    return "no manifest magic";
  case KML_MANIFEST_E_VERSION:
    return "a manifest version this kml does not know";
  case KML_MANIFEST_E_LAYOUT:
    return "wrong header or entry size, or entry count";
  case KML_MANIFEST_E_ENTRY:
    return "an entry with an unknown value";
  case KML_MANIFEST_E_ORDER:
    return "approval list entries not in increasing digest order, or a "
           "digest twice";
  }
  return "not a manifest";
}

std::variant<Manifest, kml_manifest_error>
decodeManifest(std::span<const std::byte> bytes) {
  // kml_manifest_check() reads the structs in place: give it a copy that
  // is aligned for them (vector storage comes from operator new).
  const std::vector<std::byte> aligned(bytes.begin(), bytes.end());
  const kml_manifest_error error =
      kml_manifest_check(aligned.data(), aligned.size());
  if (error != KML_MANIFEST_OK) {
    return error;
  }
  kml_manifest_header header{};
  std::memcpy(&header, aligned.data(), kHeaderSize);
  Manifest manifest;
  manifest.generation = __le64_to_cpu(header.generation);
  const std::size_t count = __le16_to_cpu(header.entry_count);
  manifest.entries.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    kml_manifest_entry raw{};
    std::memcpy(&raw, aligned.data() + kHeaderSize + i * kEntrySize,
                kEntrySize);
    manifest.entries.push_back(decodeEntry(raw));
  }
  return manifest;
}

} // namespace kml::gate
