#pragma once
// What the gate subcommands (key, sign, verify) share: their error line,
// and the certificates `kml verify` trusts.

#include "kml/gate/certificate.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace kml {

// Prints "kml <command>: <subject>: <message>" to stderr; returns code.
int gateFailure(std::string_view command, std::string_view subject,
                std::string_view message, int code);

// The certificates of the given files plus every *.pem in keyDir (if it
// exists). A file that is not a certificate is an error (gate::GateError):
// a trust set must not quietly shrink.
std::vector<gate::Certificate>
trustedCertificates(const std::vector<std::string> &certFiles,
                    const std::filesystem::path &keyDir);

} // namespace kml
