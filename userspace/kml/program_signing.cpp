#include "program_signing.hpp"

#include "key_store.hpp"

#include "kml/gate/appended.hpp"
#include "kml/gate/cms.hpp"
#include "kml/gate/gate_error.hpp"

#include <filesystem>
#include <iostream>
#include <stdexcept>

namespace kml {
namespace {

constexpr std::string_view kDefaultKey = "default";

} // namespace

bool KeyChoice::take(ArgCursor &cursor) {
  if (auto value = cursor.takeValue("--key-name")) {
    name = std::move(value);
  } else if (auto key = cursor.takeValue("--key")) {
    keyFile = std::move(key);
  } else if (auto cert = cursor.takeValue("--cert")) {
    certFile = std::move(cert);
  } else if (auto keyDir = cursor.takeValue("--key-dir")) {
    dir = std::move(keyDir);
  } else {
    return false;
  }
  return true;
}

void KeyChoice::check() const {
  if (keyFile.has_value() != certFile.has_value()) {
    throw UsageProblem{"--key and --cert go together"};
  }
  if (keyFile && name) {
    throw UsageProblem{"either --key-name or --key and --cert"};
  }
}

gate::SigningKey loadSigningKey(const KeyChoice &choice,
                                std::string_view command) {
  if (choice.keyFile) {
    // KeyChoice::check refuses --key without --cert.
    if (!choice.certFile) {
      throw std::logic_error("--key without --cert past the option check");
    }
    gate::SigningKey key{gate::PrivateKey::fromFile(*choice.keyFile),
                         gate::Certificate::fromFile(*choice.certFile)};
    if (!key.key.matches(key.cert)) {
      throw gate::GateError(*choice.keyFile + " is not the key of " +
                            *choice.certFile);
    }
    return key;
  }
  const KeyStore store(choice.dir ? std::filesystem::path(*choice.dir)
                                  : KeyStore::defaultDir());
  if (!choice.name && !store.has(kDefaultKey)) {
    gate::SigningKey key = store.create(kDefaultKey);
    std::cerr << "kml " << command << ": created the development key "
              << store.keyPath(kDefaultKey).string() << " (certificate "
              << store.certPath(kDefaultKey).string() << ")\n";
    return key;
  }
  return store.load(choice.name.value_or(std::string(kDefaultKey)));
}

std::vector<std::byte> signProgram(std::span<const std::byte> program,
                                   const gate::Digest &digest,
                                   const Approval &approval,
                                   const gate::SigningKey &key,
                                   gate::Role role) {
  gate::ManifestEntry entry;
  entry.digest = digest;
  entry.length = program.size();
  entry.role = role;
  entry.assurance = approval.assurance;
  entry.flags =
      KML_MANIFEST_F_RING0 | (approval.bypass ? KML_MANIFEST_F_BYPASS : 0U);
  entry.rulesetVersion = approval.evidence.rulesetVersion;
  entry.attestation = approval.evidence.attestation;
  const gate::Manifest manifest{approval.generation, {entry}};
  return gate::appendSignature(
      program, gate::signContent(gate::encodeManifest(manifest), key));
}

} // namespace kml
