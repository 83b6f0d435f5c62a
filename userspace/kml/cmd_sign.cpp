// kml sign FILE: append a signed manifest that approves the program for
// ring 0 (docs/gate.md). Re-signing replaces the old signature.

#include "arg_cursor.hpp"
#include "command.hpp"
#include "gate_cli.hpp"
#include "key_store.hpp"
#include "marker_cli.hpp"
#include "sign_evidence.hpp"

#include "kml/file_io.hpp"
#include "kml/gate/appended.hpp"
#include "kml/gate/cms.hpp"
#include "kml/gate/gate_error.hpp"
#include "kml/gate/manifest.hpp"

#include <charconv>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace kml {
namespace {

constexpr std::string_view kUsage =
    "sign FILE [-o OUT] [--key-name NAME | --key KEY.pem --cert CERT.pem] "
    "[--key-dir DIR] [--assurance trusted|validated|verified] "
    "[--generation N] [--attestation FILE.json] [--bypass]";
constexpr std::string_view kDefaultKey = "default";

struct SignOptions {
  std::string file;
  std::optional<std::string> output;
  std::optional<std::string> keyName;
  std::optional<std::string> keyFile;
  std::optional<std::string> certFile;
  std::optional<std::string> keyDir;
  gate::Assurance assurance = gate::Assurance::Trusted;
  std::uint64_t generation = 1;
  std::optional<std::string> attestation;
  bool bypass = false;
};

std::uint64_t parseCount(const std::string &text, std::string_view option) {
  std::uint64_t value = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() ||
      end != text.data() + text.size()) {
    throw UsageProblem{std::string(option) + " needs a whole number, not '" +
                       text + "'"};
  }
  return value;
}

gate::Assurance parseAssuranceOption(const std::string &text) {
  const auto assurance = gate::parseAssurance(text);
  if (!assurance) {
    throw UsageProblem{"--assurance is trusted, validated or verified, not '" +
                       text + "'"};
  }
  return *assurance;
}

SignOptions parse(Args args) {
  SignOptions options;
  std::optional<std::string> file;
  ArgCursor cursor(args);
  while (!cursor.done()) {
    if (auto out = cursor.takeValue("-o")) {
      options.output = std::move(out);
    } else if (auto out2 = cursor.takeValue("--output")) {
      options.output = std::move(out2);
    } else if (auto name = cursor.takeValue("--key-name")) {
      options.keyName = std::move(name);
    } else if (auto key = cursor.takeValue("--key")) {
      options.keyFile = std::move(key);
    } else if (auto cert = cursor.takeValue("--cert")) {
      options.certFile = std::move(cert);
    } else if (auto dir = cursor.takeValue("--key-dir")) {
      options.keyDir = std::move(dir);
    } else if (auto assurance = cursor.takeValue("--assurance")) {
      options.assurance = parseAssuranceOption(*assurance);
    } else if (auto generation = cursor.takeValue("--generation")) {
      options.generation = parseCount(*generation, "--generation");
    } else if (auto attestation = cursor.takeValue("--attestation")) {
      options.attestation = std::move(attestation);
    } else if (cursor.takeFlag("--bypass")) {
      options.bypass = true;
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
  if (options.keyFile.has_value() != options.certFile.has_value()) {
    throw UsageProblem{"--key and --cert go together"};
  }
  if (options.keyFile && options.keyName) {
    throw UsageProblem{"either --key-name or --key and --cert"};
  }
  return options;
}

// The key named on the command line, or the development key "default",
// made on first use.
gate::SigningKey signingKey(const SignOptions &options) {
  if (options.keyFile) {
    gate::SigningKey key{gate::PrivateKey::fromFile(*options.keyFile),
                         gate::Certificate::fromFile(*options.certFile)};
    if (!key.key.matches(key.cert)) {
      throw gate::GateError(*options.keyFile + " is not the key of " +
                            *options.certFile);
    }
    return key;
  }
  const KeyStore store(options.keyDir ? std::filesystem::path(*options.keyDir)
                                      : KeyStore::defaultDir());
  if (!options.keyName && !store.has(kDefaultKey)) {
    gate::SigningKey key = store.create(kDefaultKey);
    std::cerr << "kml sign: created the development key "
              << store.keyPath(kDefaultKey).string() << " (certificate "
              << store.certPath(kDefaultKey).string() << ")\n";
    return key;
  }
  return store.load(options.keyName.value_or(std::string(kDefaultKey)));
}

gate::Manifest programManifest(const SignOptions &options,
                               std::span<const std::byte> program,
                               const gate::Digest &digest,
                               const Evidence &evidence) {
  gate::ManifestEntry entry;
  entry.digest = digest;
  entry.length = program.size();
  entry.role = gate::Role::Program;
  entry.assurance = options.assurance;
  entry.flags =
      KML_MANIFEST_F_RING0 | (options.bypass ? KML_MANIFEST_F_BYPASS : 0U);
  entry.rulesetVersion = evidence.rulesetVersion;
  entry.attestation = evidence.attestation;
  return gate::Manifest{options.generation, {entry}};
}

int sign(const SignOptions &options) {
  std::vector<std::byte> bytes;
  mode_t mode = 0;
  std::span<const std::byte> program;
  try {
    bytes = readWholeFile(options.file);
    mode = fileMode(options.file);
    program = gate::stripSignature(bytes);
    // Only what the gate can run: a static x86-64 executable.
    const ElfImage image(
        std::vector<std::byte>(program.begin(), program.end()));
  } catch (const ElfError &error) {
    return reportError("sign", options.file, error);
  } catch (const gate::GateError &error) {
    return gateFailure("sign", options.file, error.what(), kExitDataErr);
  }

  std::vector<std::byte> signedFile;
  try {
    const gate::Digest digest = gate::sha256(program);
    const Evidence evidence = gatherEvidence(
        {options.assurance, options.file, program,
         program.size() == bytes.size(), digest, options.attestation});
    const gate::SigningKey key = signingKey(options);
    const gate::Manifest manifest =
        programManifest(options, program, digest, evidence);
    signedFile = gate::appendSignature(
        program, gate::signContent(gate::encodeManifest(manifest), key));
  } catch (const EvidenceRefused &refused) {
    return gateFailure("sign", options.file, refused.what(), kExitFailure);
  } catch (const ElfError &error) {
    return reportError("sign", options.file, error);
  } catch (const gate::GateError &error) {
    return gateFailure("sign", options.file, error.what(), kExitFailure);
  }
  return writeOutput("sign", options.output.value_or(options.file), signedFile,
                     mode);
}

} // namespace

int runSign(Args args) {
  try {
    return sign(parse(args));
  } catch (const UsageProblem &problem) {
    return usageError("sign", problem.message, kUsage);
  }
}

} // namespace kml
