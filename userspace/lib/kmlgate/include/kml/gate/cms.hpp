#pragma once
// The PKCS#7 (CMS) signed-data message that carries a manifest: content
// type id-data, the content embedded, SHA-256, no signed attributes, the
// signer named by issuer and serial; what
// `openssl cms -sign -binary -nodetach -noattr -md sha256 -outform DER`
// makes and the kernel's verify_pkcs7_signature() checks.

#include "kml/gate/certificate.hpp"
#include "kml/gate/reasons.hpp"

#include <cstddef>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace kml::gate {

// DER of a signed-data message with content embedded. Throws GateError.
std::vector<std::byte> signContent(std::span<const std::byte> content,
                                   const SigningKey &signer);

struct VerifiedContent {
  std::vector<std::byte> content;
  Certificate signer; // the trusted certificate that verified it
};

// Checks der against the trusted certificates, the way the kernel checks
// against its keyrings. A refusal is bad-signature (malformed, not the
// format, or the signature does not verify) or unknown-key (the signer is
// none of trusted).
std::variant<VerifiedContent, GateVerdict>
verifyContent(std::span<const std::byte> der,
              std::span<const Certificate> trusted);

// What the message says without checking the signature, for `kml
// inspect`: the content and the signer's name.
struct UnverifiedContent {
  std::vector<std::byte> content;
  std::string signer; // subject of the embedded certificate, else issuer
};
// The content, or why der is not a message of the format.
std::variant<UnverifiedContent, std::string>
readContent(std::span<const std::byte> der);

} // namespace kml::gate
