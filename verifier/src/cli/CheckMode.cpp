// The check: find the compile commands, run the rules over every
// translation unit (and the binary validator over an ELF), report the
// findings, write the attestation.
#include "cli/Modes.hpp"
#include "core/Attestation.hpp"
#include "core/Reporters.hpp"
#include "core/RuleTable.hpp"
#include "core/Sha256.hpp"
#include "core/Verifier.hpp"

#ifdef KML_HAVE_BINVAL
#include <kml/binary_validator.hpp>
#endif

#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

namespace kml::verify::cli {

namespace {

using clang::tooling::CompilationDatabase;

/// The translation units to check and where their compile commands are.
struct Inputs {
  std::unique_ptr<CompilationDatabase> database; // null with no sources
  std::vector<std::string> files;
};

/// What the rules and the validator found, and the record to attest it.
struct Outcome {
  bool completed = true; // false when a TU or the ELF could not be read
  std::vector<Finding> findings;
  AttestationData attestation;
};

/// Writes \p text to the file \p path, or to stdout for "" and "-".
bool writeTo(const std::string &path, const std::string &text) {
  if (path.empty() || path == "-") {
    std::cout << text;
    return bool(std::cout);
  }
  std::ofstream out(path);
  out << text;
  if (!out) {
    std::cerr << "kml-verify: cannot write " << path << "\n";
    return false;
  }
  return true;
}

/// The compile commands come from `--`, else from -p BUILD, else from the
/// compile_commands.json found above the first source. No source named
/// means every file of the database.
std::optional<Inputs> findCompilationDatabase(CheckRequest &request) {
  Inputs inputs{std::move(request.fixedDatabase), request.sources};
  std::string error;
  if (!inputs.database && !request.buildPath.empty()) {
    inputs.database =
        CompilationDatabase::autoDetectFromDirectory(request.buildPath, error);
    if (!inputs.database) {
      std::cerr << "kml-verify: " << error << "\n";
      return std::nullopt;
    }
  }
  if (!inputs.database && !inputs.files.empty()) {
    inputs.database =
        CompilationDatabase::autoDetectFromSource(inputs.files[0], error);
    if (!inputs.database) {
      std::cerr << "kml-verify: no compile command for " << inputs.files[0]
                << ": pass -p BUILD_DIR or flags after `--`\n";
      return std::nullopt;
    }
  }
  if (inputs.database && inputs.files.empty()) {
    inputs.files = inputs.database->getAllFiles();
  }
  if (inputs.files.empty() && request.binaryPath.empty()) {
    std::cerr << "kml-verify: nothing to check: name source files, -p "
                 "BUILD_DIR or --binary ELF (see --help)\n";
    return std::nullopt;
  }
  return inputs;
}

/// Every rule over every file, then the cross-TU rules.
void runVerifier(const Inputs &inputs, const Options &options,
                 Outcome &outcome) {
  Verifier verifier(options);
  for (const std::string &file : inputs.files) {
    outcome.completed &= verifier.verifyFile(*inputs.database, file);
  }
  verifier.finish();
  outcome.findings = verifier.findings();
  outcome.attestation.tus = verifier.attestations();
}

/// Binary validator findings in the same shape as source findings.
void runBinaryValidator(const std::string &elf, Outcome &outcome) {
#ifdef KML_HAVE_BINVAL
  try {
    kml::binval::Report report = kml::binval::validateFile(elf);
    for (const auto &f : report.findings) {
      Finding finding;
      finding.ruleId = f.ruleId;
      finding.file = elf;
      finding.address = f.address;
      finding.symbol = f.symbol;
      finding.message = f.reason;
      if (!f.instruction.empty()) {
        finding.message += " (`" + f.instruction + "`)";
      }
      outcome.findings.push_back(std::move(finding));
    }
    outcome.attestation.binary = BinaryAttestation{
        elf, Sha256::hexOfFile(elf).value_or(""), report.findings.size()};
  } catch (const kml::binval::Error &e) {
    // validateFile's messages start with the file name already.
    std::cerr << "kml-verify: " << e.what() << "\n";
    outcome.completed = false;
  }
#else
  std::cerr << "kml-verify: " << elf
            << ": this kml-verify was built without the binary validator\n";
  outcome.completed = false;
#endif
}

Outcome run(const Inputs &inputs, const CheckRequest &request) {
  Outcome outcome;
  if (!inputs.files.empty()) {
    runVerifier(inputs, request.verifierOptions, outcome);
  }
  if (!request.binaryPath.empty()) {
    runBinaryValidator(request.binaryPath, outcome);
  }
  return outcome;
}

/// The findings in the asked format, then a one-line summary on stderr.
bool report(const Outcome &outcome, const CheckRequest &request) {
  std::string text;
  if (request.format == "sarif") {
    text = sarifLog(outcome.findings, outcome.completed);
  } else {
    std::ostringstream out;
    writeText(out, outcome.findings);
    text = out.str();
  }
  if (!writeTo(request.reportPath, text)) {
    return false;
  }
  const std::size_t findings = outcome.findings.size();
  const std::size_t tus = outcome.attestation.tus.size();
  std::cerr << "kml-verify: " << findings << " finding"
            << (findings == 1 ? "" : "s") << " in " << tus
            << " translation unit" << (tus == 1 ? "" : "s")
            << (outcome.attestation.binary ? " and 1 binary" : "")
            << " (rule set " << kRuleSetVersion << ")"
            << (outcome.completed ? "" : "; errors above") << "\n";
  return true;
}

/// The attestation records the verdict and the limits it was reached with.
bool writeAttestation(Outcome &outcome, const CheckRequest &request) {
  AttestationData &att = outcome.attestation;
  att.stackLimit = request.verifierOptions.stackLimit;
  att.externalCallBudget = request.verifierOptions.externalCallBudget;
  att.findings = outcome.findings.size();
  att.passed = outcome.completed && outcome.findings.empty();
  return request.attestationPath.empty() ||
         writeTo(request.attestationPath, attestationJson(att));
}

int exitStatus(const Outcome &outcome) {
  if (!outcome.completed) {
    return kExitError;
  }
  return outcome.findings.empty() ? kExitPass : kExitFindings;
}

} // namespace

int runCheck(CheckRequest request) {
  if (request.format != "text" && request.format != "sarif") {
    std::cerr << "kml-verify: unknown --format '" << request.format
              << "' (text or sarif)\n";
    return kExitError;
  }
  std::optional<Inputs> inputs = findCompilationDatabase(request);
  if (!inputs) {
    return kExitError;
  }
  Outcome outcome = run(*inputs, request);
  if (!report(outcome, request) || !writeAttestation(outcome, request)) {
    return kExitError;
  }
  return exitStatus(outcome);
}

} // namespace kml::verify::cli
