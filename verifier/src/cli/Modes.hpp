// The modes of kml-verify, one function each. main.cpp parses the command
// line and runs the first mode it asks for; each function returns the
// process's exit status.
#pragma once

#include "core/Rule.hpp"

#include <clang/Tooling/CompilationDatabase.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace kml::verify::cli {

/// Exit status: every rule passes, findings, usage/parse/I/O errors.
inline constexpr int kExitPass = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitError = 2;

/// What the check mode takes from the command line.
struct CheckRequest {
  /// The compile command given after `--`, if there was one.
  std::unique_ptr<clang::tooling::CompilationDatabase> fixedDatabase;
  /// -p: a build directory holding compile_commands.json.
  std::string buildPath;
  /// The sources named; none means every file of the database.
  std::vector<std::string> sources;
  /// "text" or "sarif"; runCheck refuses anything else.
  std::string format;
  /// Where the report goes; empty or "-" is stdout.
  std::string reportPath;
  /// Where the JSON attestation goes; empty writes none.
  std::string attestationPath;
  /// An ELF for the binary validator; empty runs none.
  std::string binaryPath;
  /// Stack limits, runtime header roots, Clang's resource directory.
  Options verifierOptions;
};

// Information (InfoModes.cpp).
int printRequiredFlags();
int printRuntimeIncludeDirs(const std::vector<std::filesystem::path> &dirs);
int explainRule(const std::string &id);
int listRules();
int listAllowlist();

// Files generated from the rule table (RuleDocs.cpp).
int writeRuleDocs(const std::string &dir);
int writeExamples(const std::string &dir);

// The check itself (CheckMode.cpp).
int runCheck(CheckRequest request);

} // namespace kml::verify::cli
