// kml sign FILE: append a signed manifest that approves the program for
// ring 0 (docs/gate.md). Re-signing replaces the old signature.
// kml sign --list OUT FILE...: an approval list of unmodified files
// instead (list_signing.cpp), with the same key, generation and output.

#include "arg_cursor.hpp"
#include "command.hpp"
#include "gate_cli.hpp"
#include "list_signing.hpp"
#include "marker_cli.hpp"
#include "program_signing.hpp"
#include "sign_evidence.hpp"
#include "subcommands.hpp"

#include "kml/file_io.hpp"
#include "kml/gate/appended.hpp"
#include "kml/gate/gate_error.hpp"
#include "kml/gate/manifest.hpp"

#include <charconv>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace kml {
namespace {

constexpr std::string_view kUsage =
    "sign FILE [-o OUT] [--key-name NAME | --key KEY.pem --cert CERT.pem] "
    "[--key-dir DIR] [--assurance trusted|validated|verified] "
    "[--generation N] [--attestation FILE.json] [--bypass]\n"
    "       kml sign --list OUT FILE... [--interpreter FILE]... "
    "[--assurance trusted] [--generation N] [--bypass] [key options]";

struct SignOptions {
  std::vector<std::string> files;
  std::optional<std::string> output;
  std::optional<std::string> list;
  std::vector<std::string> interpreters;
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

// An approval list vouches for files nothing has checked: an unmodified
// distribution binary has no kml-verify attestation, and the binary
// validator refuses glibc, ld.so and most libraries (docs/gate.md).
void checkListOptions(const SignOptions &options) {
  if (options.files.empty() && options.interpreters.empty()) {
    throw UsageProblem{"--list needs at least one FILE"};
  }
  if (options.output) {
    throw UsageProblem{"--list names the output; -o does not go with it"};
  }
  if (options.attestation) {
    throw UsageProblem{"--attestation is for one program, not a list"};
  }
  if (options.assurance != gate::Assurance::Trusted) {
    throw UsageProblem{
        "an approval list is trusted only: nothing checks unmodified "
        "files for validated or verified (sign a program built with `kml "
        "build` for that)"};
  }
}

SignOptions parse(Args args) {
  SignOptions options;
  ArgCursor cursor(args);
  while (!cursor.done()) {
    if (auto list = cursor.takeValue("--list")) {
      options.list = std::move(list);
    } else if (auto interpreter = cursor.takeValue("--interpreter")) {
      options.interpreters.push_back(std::move(*interpreter));
    } else if (auto out = cursor.takeValue("-o")) {
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
    } else {
      options.files.push_back(cursor.takePositional());
    }
  }
  options.key.check();
  if (options.list) {
    checkListOptions(options);
  } else if (!options.interpreters.empty()) {
    throw UsageProblem{"--interpreter goes with --list"};
  } else if (options.files.size() != 1) {
    throw UsageProblem{options.files.empty() ? "missing FILE"
                                             : "only one FILE"};
  }
  return options;
}

int signList(const SignOptions &options) {
  if (!options.list) {
    throw std::logic_error("kml sign: signList without --list");
  }
  return signApprovalListFiles({*options.list, options.files,
                                options.interpreters, options.key,
                                options.generation, options.bypass});
}

int sign(const SignOptions &options) {
  if (options.list) {
    return signList(options);
  }
  const std::string &file = options.files.front();
  std::vector<std::byte> bytes;
  mode_t mode = 0;
  std::span<const std::byte> program;
  gate::Role role = gate::Role::Program;
  try {
    bytes = readWholeFile(file);
    mode = fileMode(file);
    program = gate::stripSignature(bytes);
    // Only what the gate can run: a static x86-64 executable, the loader
    // `kml run` starts as the program, or a library that loader maps.
    const ElfImage image(std::vector<std::byte>(program.begin(), program.end()),
                         Accept::SharedObjects);
    if (image.kind() == ImageKind::Library) {
      role = gate::Role::Library;
    }
  } catch (const ElfError &error) {
    return reportError("sign", file, error);
  } catch (const gate::GateError &error) {
    return gateFailure("sign", file, error.what(), kExitDataErr);
  }

  std::vector<std::byte> signedFile;
  try {
    const gate::Digest digest = gate::sha256(program);
    const Evidence evidence = gatherEvidence({options.assurance, file, program,
                                              program.size() == bytes.size(),
                                              digest, options.attestation});
    const gate::SigningKey key = loadSigningKey(options.key, "sign");
    signedFile = signProgram(
        program, digest,
        {options.assurance, options.generation, options.bypass, evidence}, key,
        role);
  } catch (const EvidenceRefused &refused) {
    return gateFailure("sign", file, refused.what(), kExitFailure);
  } catch (const ElfError &error) {
    return reportError("sign", file, error);
  } catch (const gate::GateError &error) {
    return gateFailure("sign", file, error.what(), kExitFailure);
  }
  return writeOutput("sign", options.output.value_or(file), signedFile, mode);
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
