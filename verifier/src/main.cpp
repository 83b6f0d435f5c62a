// kml-verify: checks that C/C++ translation units stay inside the ring-0
// safe subset (docs/verifier.md). Exit status: 0 every rule passes,
// 1 findings, 2 usage, parse or I/O errors.
//
// This file holds the command line; each mode is a function of
// cli/Modes.hpp.
#include "cli/Modes.hpp"
#include "core/RuleTable.hpp"

#include <clang/Tooling/CompilationDatabase.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/raw_ostream.h>

#include <iostream>

namespace cl = llvm::cl;
using namespace kml::verify;
using namespace kml::verify::cli;

namespace {

cl::OptionCategory category("kml-verify options");

// The options, named as the user types them.
namespace opt {
cl::opt<std::string>
    buildPath("p", cl::desc("Build directory holding compile_commands.json"),
              cl::value_desc("dir"), cl::cat(category));
cl::list<std::string> sources(cl::Positional, cl::desc("[<source> ...]"),
                              cl::cat(category));
cl::opt<std::string> format("format",
                            cl::desc("Output format: text (default) or sarif"),
                            cl::init("text"), cl::cat(category));
cl::opt<std::string>
    output("output",
           cl::desc("Write the report to this file instead of stdout"),
           cl::value_desc("file"), cl::cat(category));
cl::opt<std::string>
    attestation("attestation",
                cl::desc("Write a JSON attestation to this file"),
                cl::value_desc("file"), cl::cat(category));
cl::opt<unsigned long long> stackLimit(
    "stack-limit",
    cl::desc("Worst-case stack limit in bytes (KML-R008, default 8192)"),
    cl::init(8192), cl::cat(category));
cl::opt<unsigned long long> externalCallBudget(
    "external-call-budget",
    cl::desc("Stack bytes charged per call into code outside the program, "
             "e.g. libc (KML-R008, default 1024)"),
    cl::init(1024), cl::cat(category));
cl::opt<std::string>
    explain("explain", cl::desc("Print the rationale and examples of a rule"),
            cl::value_desc("KML-R00x"), cl::cat(category));
cl::opt<bool> requiredFlags(
    "required-flags",
    cl::desc("Print the compile flags KML-R014 requires, on one line"),
    cl::cat(category));
cl::opt<bool> runtimeIncludeDirs(
    "runtime-include-dirs",
    cl::desc("Print the runtime header roots added as -I, one a line"),
    cl::cat(category));
cl::opt<bool> listRules("list-rules", cl::desc("List rule IDs and summaries"),
                        cl::cat(category));
cl::opt<bool>
    listAllowlist("list-allowlist",
                  cl::desc("List the external functions KML-R002 allows"),
                  cl::cat(category));
cl::opt<std::string> writeRuleDocs(
    "write-rule-docs",
    cl::desc("Write docs/rules/*.md from the rule table into a directory"),
    cl::value_desc("dir"), cl::Hidden, cl::cat(category));
cl::opt<std::string> writeExamples(
    "write-examples",
    cl::desc("Write each rule's rejected and accepted examples as sources "
             "into a directory (tests check them)"),
    cl::value_desc("dir"), cl::Hidden, cl::cat(category));
cl::opt<std::string>
    binary("binary", cl::desc("Also run the binary validator on this ELF"),
           cl::value_desc("elf"), cl::cat(category));
} // namespace opt

/// Where the reviewed runtime headers may be: next to an installed binary,
/// the install prefix, and the source tree this binary was built from.
std::vector<std::filesystem::path> runtimeIncludeDirs(const char *argv0) {
  std::vector<std::filesystem::path> dirs;
  std::string exe = llvm::sys::fs::getMainExecutable(
      argv0, reinterpret_cast<void *>(&runtimeIncludeDirs));
  if (!exe.empty()) {
    dirs.push_back(std::filesystem::path(exe).parent_path().parent_path() /
                   "include");
  }
  dirs.emplace_back(KML_RUNTIME_INSTALL_INCLUDE_DIR);
  dirs.emplace_back(KML_RUNTIME_SOURCE_INCLUDE_DIR);
  return dirs;
}

void printVersion(llvm::raw_ostream &os) {
  os << "kml-verify " << KML_VERIFY_VERSION << " (rule set " << kRuleSetVersion
     << ", Clang " << LLVM_VERSION_STRING << ")\n";
}

/// Parses argv into the opt:: options. Everything after `--` is a compile
/// command for the named sources: it comes back as \p fixedDatabase.
bool parseCommandLine(
    int argc, const char **argv,
    std::unique_ptr<clang::tooling::CompilationDatabase> &fixedDatabase) {
  cl::HideUnrelatedOptions(category);
  cl::SetVersionPrinter(printVersion);
  int toolArgc = argc;
  std::string error;
  fixedDatabase = clang::tooling::FixedCompilationDatabase::loadFromCommandLine(
      toolArgc, argv, error);
  if (!error.empty()) {
    std::cerr << "kml-verify: " << error << "\n";
    return false;
  }
  return cl::ParseCommandLineOptions(
      toolArgc, argv,
      "kml-verify: static verifier for the kml ring-0 safe subset\n\n"
      "  kml-verify -p BUILD [FILE...]     check TUs of "
      "compile_commands.json\n"
      "  kml-verify FILE... -- FLAGS       check files with these flags\n"
      "  kml-verify --binary ELF           run the binary validator\n\n"
      "Exit status: 0 every rule passes, 1 findings, 2 usage, parse or "
      "I/O errors.\n",
      &llvm::errs());
}

CheckRequest
checkRequest(const char *argv0,
             std::unique_ptr<clang::tooling::CompilationDatabase> database) {
  CheckRequest request;
  request.fixedDatabase = std::move(database);
  request.buildPath = opt::buildPath.getValue();
  request.sources.assign(opt::sources.begin(), opt::sources.end());
  request.format = opt::format.getValue();
  request.reportPath = opt::output.getValue();
  request.attestationPath = opt::attestation.getValue();
  request.binaryPath = opt::binary.getValue();
  request.verifierOptions.stackLimit = opt::stackLimit;
  request.verifierOptions.externalCallBudget = opt::externalCallBudget;
  request.verifierOptions.runtimeIncludeDirs = runtimeIncludeDirs(argv0);
  request.verifierOptions.resourceDir = KML_CLANG_RESOURCE_DIR;
  return request;
}

/// The first mode the command line asks for, in this order; the check when
/// it asks for none.
int runRequestedMode(
    const char *argv0,
    std::unique_ptr<clang::tooling::CompilationDatabase> fixedDatabase) {
  if (opt::requiredFlags) {
    return printRequiredFlags();
  }
  if (opt::runtimeIncludeDirs) {
    return printRuntimeIncludeDirs(runtimeIncludeDirs(argv0));
  }
  if (!opt::explain.empty()) {
    return explainRule(opt::explain);
  }
  if (opt::listRules) {
    return listRules();
  }
  if (opt::listAllowlist) {
    return listAllowlist();
  }
  if (!opt::writeRuleDocs.empty()) {
    return writeRuleDocs(opt::writeRuleDocs);
  }
  if (!opt::writeExamples.empty()) {
    return writeExamples(opt::writeExamples);
  }
  return runCheck(checkRequest(argv0, std::move(fixedDatabase)));
}

} // namespace

int main(int argc, const char **argv) {
  std::unique_ptr<clang::tooling::CompilationDatabase> fixedDatabase;
  if (!parseCommandLine(argc, argv, fixedDatabase)) {
    return kExitError;
  }
  return runRequestedMode(argv[0], std::move(fixedDatabase));
}
