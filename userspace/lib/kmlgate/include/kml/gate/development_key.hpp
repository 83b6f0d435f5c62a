#pragma once
// A development signing key: RSA-2048 and a self-signed certificate that
// the kernel's X.509 parser and asymmetric keyrings accept.

#include "kml/gate/certificate.hpp"

#include <string_view>

namespace kml::gate {

// CN "kml development key <name>", basicConstraints CA:FALSE, keyUsage
// digitalSignature, a subjectKeyIdentifier, valid for 100 years from now.
// Throws GateError.
SigningKey generateDevelopmentKey(std::string_view name);

} // namespace kml::gate
