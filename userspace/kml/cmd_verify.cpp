// kml verify FILE: the kernel's gate check in userspace, against the
// certificates given and those in the development key directory.

#include "arg_cursor.hpp"
#include "command.hpp"
#include "gate_cli.hpp"
#include "key_store.hpp"
#include "marker_cli.hpp"

#include "kml/file_io.hpp"
#include "kml/gate/gate_check.hpp"
#include "kml/gate/gate_error.hpp"

#include <charconv>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace kml {
namespace {

constexpr std::string_view kUsage =
    "verify FILE [--cert CERT.pem]... [--key-dir DIR] [--min-assurance A] "
    "[--min-generation N]";

struct VerifyOptions {
  std::string file;
  std::vector<std::string> certs;
  std::optional<std::string> keyDir;
  gate::GatePolicy policy;
};

VerifyOptions parse(Args args) {
  VerifyOptions options;
  std::optional<std::string> file;
  ArgCursor cursor(args);
  while (!cursor.done()) {
    if (auto cert = cursor.takeValue("--cert")) {
      options.certs.push_back(std::move(*cert));
    } else if (auto dir = cursor.takeValue("--key-dir")) {
      options.keyDir = std::move(dir);
    } else if (auto assurance = cursor.takeValue("--min-assurance")) {
      const auto parsed = gate::parseAssurance(*assurance);
      if (!parsed) {
        throw UsageProblem{"--min-assurance is trusted, validated or "
                           "verified, not '" +
                           *assurance + "'"};
      }
      options.policy.minAssurance = *parsed;
    } else if (auto generation = cursor.takeValue("--min-generation")) {
      const std::string &text = *generation;
      const auto [end, error] = std::from_chars(
          text.data(), text.data() + text.size(), options.policy.minGeneration);
      if (text.empty() || error != std::errc() ||
          end != text.data() + text.size()) {
        throw UsageProblem{"--min-generation needs a whole number, not '" +
                           text + "'"};
      }
    } else if (file) {
      throw UsageProblem{"only one FILE"};
    } else {
      file = cursor.takePositional();
    }
  }
  if (!file) {
    throw UsageProblem{"missing FILE"};
  }
  options.file = *file;
  return options;
}

int verify(const VerifyOptions &options) {
  std::vector<gate::Certificate> trusted;
  try {
    const std::filesystem::path keyDir =
        options.keyDir ? std::filesystem::path(*options.keyDir)
                       : KeyStore::defaultDir();
    trusted = trustedCertificates(options.certs, keyDir);
  } catch (const gate::GateError &error) {
    return gateFailure("verify", options.file, error.what(), kExitDataErr);
  }
  std::vector<std::byte> bytes;
  try {
    bytes = readWholeFile(options.file);
  } catch (const ElfError &error) {
    return reportError("verify", options.file, error);
  }
  gate::GateReport report;
  try {
    report = gate::checkSignedFile(bytes, trusted, options.policy);
  } catch (const gate::GateError &error) {
    return gateFailure("verify", options.file, error.what(), kExitDataErr);
  }
  if (!report.verdict.allowed()) {
    std::cout << options.file << ": refused: " << report.verdict.describe()
              << "\n";
    return kExitFailure;
  }
  const gate::ManifestEntry &entry = report.manifest->entries.front();
  std::cout << options.file << ": allowed: assurance "
            << gate::assuranceName(entry.assurance) << ", generation "
            << report.manifest->generation << ", signed by "
            << report.signer.value_or("?") << "\n";
  return kExitOk;
}

} // namespace

int runVerify(Args args) {
  try {
    return verify(parse(args));
  } catch (const UsageProblem &problem) {
    return usageError("verify", problem.message, kUsage);
  }
}

} // namespace kml
