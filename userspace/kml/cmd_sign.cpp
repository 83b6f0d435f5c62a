// kml sign FILE: append a signed manifest that approves the program for
// ring 0 (docs/gate.md). Re-signing replaces the old signature.

#include "arg_cursor.hpp"
#include "command.hpp"
#include "gate_cli.hpp"
#include "marker_cli.hpp"
#include "program_signing.hpp"
#include "sign_evidence.hpp"

#include "kml/file_io.hpp"
#include "kml/gate/appended.hpp"
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

struct SignOptions {
  std::string file;
  std::optional<std::string> output;
  KeyChoice key;
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
    } else if (options.key.take(cursor)) {
      continue;
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
  options.key.check();
  return options;
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
    const gate::SigningKey key = loadSigningKey(options.key, "sign");
    signedFile = signProgram(
        program, digest,
        {options.assurance, options.generation, options.bypass, evidence}, key);
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
