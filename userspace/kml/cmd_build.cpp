// kml build SRC... -o OUT: from C and C++ sources to a signed ring-0
// program in one command (docs/gate.md, "Building"). Each step is the one
// its own tool makes: clang-19 with kml-verify's required flags, the
// verifier's source rules, a static link, `kml rewrite`, the binary
// validator, and `kml sign --assurance verified` with the attestation. All
// of it happens in a private directory; only a signed program is ever
// written to OUT.

#include "arg_cursor.hpp"
#include "build_summary.hpp"
#include "build_workspace.hpp"
#include "child_command.hpp"
#include "command.hpp"
#include "compile_plan.hpp"
#include "marker_cli.hpp"
#include "program_signing.hpp"
#include "sign_evidence.hpp"
#include "subcommands.hpp"
#include "tool_locator.hpp"
#include "verifier_tool.hpp"

#include "kml/file_io.hpp"
#include "kml/gate/attestation.hpp"
#include "kml/gate/gate_error.hpp"
#include "kml/gate/sha256.hpp"
#include "kml/marker_edit.hpp"
#include "kml/rewrite/rewriter.hpp"

#include <algorithm>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace kml {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kUsage =
    "build SRC... -o OUT [--bypass] [-p DIR] [--key-name NAME | --key "
    "KEY.pem --cert CERT.pem] [--key-dir DIR] [-- EXTRA-COMPILER-FLAGS...]";

struct BuildOptions {
  std::vector<fs::path> sources;
  std::string output;
  bool bypass = false;
  std::optional<fs::path> databaseDir; // -p
  KeyChoice key;
  std::vector<std::string> extraFlags; // after `--`
};

BuildOptions parse(Args args) {
  BuildOptions options;
  std::optional<std::string> output;
  ArgCursor cursor(args);
  while (!cursor.done()) {
    if (cursor.takeFlag("--")) {
      options.extraFlags = cursor.takeRest();
    } else if (auto out = cursor.takeValue("-o")) {
      output = std::move(out);
    } else if (auto out2 = cursor.takeValue("--output")) {
      output = std::move(out2);
    } else if (auto dir = cursor.takeValue("-p")) {
      options.databaseDir = *dir;
    } else if (cursor.takeFlag("--bypass")) {
      options.bypass = true;
    } else if (options.key.take(cursor)) {
      continue;
    } else {
      options.sources.emplace_back(cursor.takePositional());
    }
  }
  if (options.sources.empty()) {
    throw UsageProblem{"missing SRC"};
  }
  if (!output) {
    throw UsageProblem{"missing -o OUT"};
  }
  options.output = *output;
  for (const fs::path &source : options.sources) {
    if (!languageOf(source)) {
      throw UsageProblem{source.string() +
                         ": not a C or C++ source (.c, .cpp, .cc, .cxx)"};
    }
  }
  options.key.check();
  return options;
}

// A step said no: its diagnostics are on stderr already, this is the last
// line and the exit code.
struct BuildFailure {
  int code;
  std::string message;
};

bool hasLanguage(const std::vector<fs::path> &sources, Language language) {
  return std::ranges::any_of(sources, [language](const fs::path &source) {
    return languageOf(source) == language;
  });
}

// The compilers the sources need; throws MissingTool.
Compilers findCompilers(const ToolLocator &tools,
                        const std::vector<fs::path> &sources) {
  Compilers compilers;
  if (hasLanguage(sources, Language::C)) {
    compilers.c = tools.require("clang-19");
  }
  if (hasLanguage(sources, Language::Cxx)) {
    compilers.cxx = tools.require("clang++-19");
  }
  return compilers;
}

int runTool(const std::vector<std::string> &argv, const fs::path &dir) {
  const std::vector<std::string_view> views(argv.begin(), argv.end());
  try {
    CommandSetting setting;
    setting.workingDir = dir;
    return runCommand(views, setting);
  } catch (const std::system_error &error) {
    throw BuildFailure{kExitUnavailable, "cannot run " + argv.front() + ": " +
                                             error.code().message()};
  }
}

std::string_view text(const std::vector<std::byte> &bytes) {
  return {reinterpret_cast<const char *>(bytes.data()), bytes.size()};
}

// One build, step by step; each step throws BuildFailure.
class ProgramBuild {
public:
  ProgramBuild(const BuildOptions &options, const ToolLocator &tools)
      : options_(options), compilers_(findCompilers(tools, options.sources)),
        verifier_(tools.require("kml-verify"), workspace_.file("answer")) {
    summary_.output = options.output;
    summary_.bypass = options.bypass;
  }

  // Returns the signed program.
  std::vector<std::byte> run() {
    plan();
    compile();
    check(false);
    link();
    rewrite();
    check(true);
    return sign();
  }

  [[nodiscard]] mode_t mode() const { return mode_; }
  [[nodiscard]] BuildSummary &summary() { return summary_; }

private:
  [[nodiscard]] fs::path databaseDir() const { return workspace_.file("db"); }
  [[nodiscard]] fs::path linkedPath() const {
    return workspace_.file("linked");
  }
  [[nodiscard]] fs::path programPath() const {
    return workspace_.file("program");
  }
  [[nodiscard]] fs::path attestationPath() const {
    return workspace_.file("attestation.json");
  }

  // The commands, and the database that hands them to kml-verify.
  void plan() {
    std::optional<CompileDatabase> database;
    try {
      if (options_.databaseDir) {
        database = CompileDatabase::load(*options_.databaseDir);
      }
      plan_.emplace(compilers_,
                    CommonFlags{verifier_.requiredFlags(),
                                verifier_.runtimeIncludeDirs(),
                                options_.extraFlags},
                    workspace_.file("objects"), std::move(database));
      for (const fs::path &source : options_.sources) {
        plan_->add(source);
      }
      summary_.rules = verifier_.ruleCount();
      fs::create_directory(workspace_.file("objects"));
      fs::create_directory(databaseDir());
      const std::string json = compileDatabaseJson(plan_->commands());
      writeFileAtomically(
          databaseDir() / "compile_commands.json",
          std::span(reinterpret_cast<const std::byte *>(json.data()),
                    json.size()),
          0600);
    } catch (const CompileDatabaseError &error) {
      throw BuildFailure{kExitDataErr, error.what()};
    } catch (const VerifierFailed &error) {
      throw BuildFailure{kExitFailure, error.what()};
    } catch (const ElfError &error) {
      throw BuildFailure{kExitIoErr, error.what()};
    } catch (const fs::filesystem_error &error) {
      throw BuildFailure{kExitIoErr, error.what()};
    }
  }

  // compile, check and link run after plan(), which fills plan_.
  [[nodiscard]] const std::vector<PlannedUnit> &plannedUnits() const {
    if (!plan_) {
      throw std::logic_error("kml build used its plan before planning");
    }
    return plan_->units();
  }

  void compile() {
    for (const PlannedUnit &unit : plannedUnits()) {
      const int status =
          runTool(unit.command.arguments, unit.command.directory);
      if (status != 0) {
        throw BuildFailure{kExitDataErr, unit.command.file.string() + ": " +
                                             unit.command.arguments.front() +
                                             " failed (exit status " +
                                             std::to_string(status) + ")"};
      }
    }
  }

  // The source rules, and with the binary the validator and the
  // attestation.
  void check(bool withBinary) {
    VerifyRequest request;
    if (withBinary) {
      request.binary = programPath();
      request.attestation = attestationPath();
    }
    request.databaseDir = databaseDir();
    for (const PlannedUnit &unit : plannedUnits()) {
      request.sources.push_back(unit.command.file);
    }
    Verdict verdict = Verdict::Error;
    try {
      verdict = verifier_.check(request);
    } catch (const VerifierFailed &error) {
      throw BuildFailure{kExitUnavailable, error.what()};
    }
    const std::string what =
        request.binary ? "the binary validator" : "the source rules";
    if (verdict == Verdict::Findings) {
      throw BuildFailure{kExitFailure, what + " (" +
                                           verifier_.executable().string() +
                                           ") reported the findings above"};
    }
    if (verdict == Verdict::Error) {
      throw BuildFailure{kExitDataErr, verifier_.executable().string() +
                                           " could not check " + what +
                                           " (errors above)"};
    }
  }

  void link() {
    const bool cxx = hasLanguage(options_.sources, Language::Cxx);
    std::vector<std::string> argv{
        (cxx ? compilers_.cxx : compilers_.c).string(), "-static"};
    for (const PlannedUnit &unit : plannedUnits()) {
      argv.push_back(unit.object.string());
    }
    argv.insert(argv.end(), {"-o", linkedPath().string()});
    const int status = runTool(argv, workspace_.dir());
    if (status != 0) {
      throw BuildFailure{kExitDataErr, "linking failed (" + argv.front() +
                                           " exit status " +
                                           std::to_string(status) + ")"};
    }
  }

  // What `kml rewrite` does, then the marker's bypass flag if asked: the
  // bytes the validator checks and the manifest covers.
  void rewrite() {
    try {
      const ElfImage linked = loadImage(linkedPath().string());
      mode_ = fileMode(linkedPath());
      rewrite::RewriteResult result = rewrite::rewriteImage(linked);
      summary_.sitesRewritten = result.report.rewritten();
      for (const auto &[reason, count] : result.report.leftByReason()) {
        summary_.sitesLeft[rewrite::leaveReasonText(reason)] = count;
      }
      summary_.haltsReplaced = result.report.haltsReplaced();
      summary_.haltsLeft =
          result.report.halts.size() - result.report.haltsReplaced();
      std::vector<std::byte> program = std::move(result.bytes);
      if (options_.bypass) {
        program = withMarker(
            ElfImage(std::move(program)),
            FlagChange{.set = KML_NOTE_F_ENABLE | KML_NOTE_F_BYPASS});
      }
      writeFileAtomically(programPath(), program, mode_);
    } catch (const ElfError &error) {
      throw BuildFailure{exitCodeFor(error.kind()),
                         "kml rewrite: " + std::string(error.what())};
    } catch (const std::exception &error) {
      // An internal limit of the rewriter (a displacement that does not
      // fit).
      throw BuildFailure{kExitFailure,
                         "kml rewrite: " + std::string(error.what())};
    }
  }

  // `kml sign --assurance verified --attestation`, with its checks.
  std::vector<std::byte> sign() {
    try {
      const std::vector<std::byte> program = readWholeFile(programPath());
      const gate::Digest digest = gate::sha256(program);
      const Evidence evidence =
          gatherEvidence({gate::Assurance::Verified, programPath().string(),
                          program, true, digest, attestationPath().string()});
      const gate::SigningKey key = loadSigningKey(options_.key, "build");
      std::vector<std::byte> signedFile = signProgram(
          program, digest,
          {gate::Assurance::Verified, 1, options_.bypass, evidence}, key);

      const std::vector<std::byte> json = readWholeFile(attestationPath());
      const gate::AttestationSummary attested =
          gate::readAttestation(text(json));
      summary_.translationUnits = attested.translationUnits;
      summary_.rulesetVersion = attested.rulesetVersion;
      summary_.findings = attested.binaryFindings;
      summary_.programBytes = program.size();
      summary_.fileBytes = signedFile.size();
      summary_.assurance = gate::assuranceName(gate::Assurance::Verified);
      summary_.attestationSha256 = gate::hexDigits(evidence.attestation);
      summary_.keySubject = key.cert.subject();
      return signedFile;
    } catch (const EvidenceRefused &refused) {
      throw BuildFailure{kExitFailure, refused.what()};
    } catch (const gate::GateError &error) {
      throw BuildFailure{kExitFailure, error.what()};
    } catch (const ElfError &error) {
      throw BuildFailure{exitCodeFor(error.kind()), error.what()};
    }
  }

  const BuildOptions &options_;
  Compilers compilers_;
  BuildWorkspace workspace_;
  VerifierTool verifier_;
  std::optional<CompilePlan> plan_;
  mode_t mode_ = 0755;
  BuildSummary summary_;
};

int build(const BuildOptions &options) {
  for (const fs::path &source : options.sources) {
    std::error_code ec;
    if (!fs::is_regular_file(source, ec)) {
      std::cerr << "kml build: " << source.string()
                << ": no such source file\n";
      return kExitNoInput;
    }
  }
  try {
    const ToolLocator tools;
    ProgramBuild build(options, tools);
    const std::vector<std::byte> program = build.run();
    if (const int code =
            writeOutput("build", options.output, program, build.mode());
        code != kExitOk) {
      return code;
    }
    printSummary(std::cout, build.summary());
    return kExitOk;
  } catch (const MissingTool &missing) {
    std::cerr << "kml build: " << missing.what() << "\n";
    return kExitUnavailable;
  } catch (const BuildFailure &failure) {
    std::cerr << "kml build: " << failure.message << "; " << options.output
              << " not written\n";
    return failure.code;
  } catch (const std::system_error &error) {
    std::cerr << "kml build: " << error.what() << "\n";
    return kExitIoErr;
  }
}

} // namespace

int runBuild(Args args) {
  try {
    return build(parse(args));
  } catch (const UsageProblem &problem) {
    return usageError("build", problem.message, kUsage);
  }
}

} // namespace kml
