#include "signature_facts.hpp"

#include "kml/gate/appended.hpp"
#include "kml/gate/cms.hpp"

#include <variant>

namespace kml {

SignatureFacts readSignatureFacts(std::span<const std::byte> file) {
  SignatureFacts facts;
  const gate::TrailerScan scan = gate::findAppendedSignature(file);
  if (std::holds_alternative<gate::NoTrailer>(scan)) {
    return facts;
  }
  facts.state = SignatureFacts::State::Malformed;
  if (const auto *malformed = std::get_if<gate::MalformedTrailer>(&scan)) {
    facts.problem = malformed->problem;
    return facts;
  }
  const auto &appended = std::get<gate::AppendedSignature>(scan);
  facts.pkcs7Offset = appended.pkcs7Offset;
  facts.pkcs7Size = appended.pkcs7.size();
  auto content = gate::readContent(appended.pkcs7);
  if (auto *problem = std::get_if<std::string>(&content)) {
    facts.problem = std::move(*problem);
    return facts;
  }
  auto &unverified = std::get<gate::UnverifiedContent>(content);
  facts.signer = std::move(unverified.signer);
  auto decoded = gate::decodeManifest(unverified.content);
  if (const auto *error = std::get_if<kml_manifest_error>(&decoded)) {
    facts.problem = "the signed content is not a manifest: " +
                    std::string(gate::manifestErrorText(*error));
    return facts;
  }
  facts.state = SignatureFacts::State::Present;
  facts.manifest = std::get<gate::Manifest>(std::move(decoded));
  const gate::ManifestEntry &entry = facts.manifest->entries.front();
  facts.lengthMatches = entry.length == facts.pkcs7Offset;
  facts.digestMatches =
      facts.lengthMatches &&
      gate::sha256(file.first(facts.pkcs7Offset)) == entry.digest;
  return facts;
}

} // namespace kml
