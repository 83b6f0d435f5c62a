#pragma once
// The manifest of loader/uapi/linux/kml_manifest.h as C++ values, and its
// byte encoding. Decoding goes through kml_manifest_check(), the reader
// rule the kernel uses, so the tools never accept what kml.ko refuses.

#include "kml/gate/sha256.hpp"

#include <linux/kml_manifest.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace kml::gate {

enum class Role : std::uint8_t {
  Program = KML_ROLE_PROGRAM,
  Interpreter = KML_ROLE_INTERPRETER,
  Library = KML_ROLE_LIBRARY,
};

// Weakest first, so that the values compare as the kernel compares them.
enum class Assurance : std::uint8_t {
  Trusted = KML_ASSURANCE_TRUSTED,
  Validated = KML_ASSURANCE_VALIDATED,
  Verified = KML_ASSURANCE_VERIFIED,
};

std::string_view roleName(Role role);
std::string_view assuranceName(Assurance assurance);
// "trusted", "validated" or "verified"; nullopt for anything else.
std::optional<Assurance> parseAssurance(std::string_view name);
// The names of KML_MANIFEST_F_* bits set in flags ("ring0", "bypass");
// unknown bits as hex.
std::vector<std::string> manifestFlagNames(std::uint32_t flags);

struct ManifestEntry {
  Digest digest{};
  std::uint64_t length = 0;
  Role role = Role::Program;
  Assurance assurance = Assurance::Trusted;
  std::uint32_t flags = 0;
  std::uint32_t rulesetVersion = 0;
  Digest attestation{};

  bool operator==(const ManifestEntry &) const = default;
};

struct Manifest {
  std::uint64_t generation = 0;
  std::vector<ManifestEntry> entries;

  bool operator==(const Manifest &) const = default;
};

// The little-endian bytes of the header and entries.
std::vector<std::byte> encodeManifest(const Manifest &manifest);

// What kml_manifest_check() says about bytes that are not a manifest.
std::string_view manifestErrorText(kml_manifest_error error);

// The manifest in bytes, or why kml_manifest_check() refuses it.
std::variant<Manifest, kml_manifest_error>
decodeManifest(std::span<const std::byte> bytes);

} // namespace kml::gate
