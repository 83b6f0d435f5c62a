#include "verifier_tool.hpp"

#include "child_command.hpp"

#include "kml/elf_error.hpp"
#include "kml/file_io.hpp"

#include <sstream>
#include <string_view>
#include <system_error>

namespace kml {
namespace {

namespace fs = std::filesystem;

// kml-verify's exit codes (verifier/src/main.cpp).
constexpr int kVerifyPass = 0;
constexpr int kVerifyFindings = 1;

int run(const std::vector<std::string> &argv, const CommandSetting &setting) {
  const std::vector<std::string_view> views(argv.begin(), argv.end());
  try {
    return runCommand(views, setting);
  } catch (const std::system_error &error) {
    throw VerifierFailed("cannot run " + argv.front() + ": " +
                         error.code().message());
  }
}

std::vector<std::string> words(const std::string &text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string word; in >> word;) {
    out.push_back(word);
  }
  return out;
}

std::vector<std::string> lines(const std::string &text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) {
      out.push_back(line);
    }
  }
  return out;
}

} // namespace

VerifierTool::VerifierTool(std::filesystem::path executable,
                           std::filesystem::path scratch)
    : executable_(std::move(executable)), scratch_(std::move(scratch)) {}

std::string VerifierTool::ask(const std::vector<std::string> &args) const {
  std::vector<std::string> argv{executable_.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  CommandSetting setting;
  setting.stdoutFile = scratch_;
  const int status = run(argv, setting);
  if (status != kVerifyPass) {
    throw VerifierFailed(executable_.string() + " " + args.front() +
                         " failed (exit status " + std::to_string(status) +
                         ")");
  }
  try {
    const std::vector<std::byte> bytes = readWholeFile(scratch_);
    return {reinterpret_cast<const char *>(bytes.data()), bytes.size()};
  } catch (const ElfError &error) {
    throw VerifierFailed(error.what());
  }
}

std::vector<std::string> VerifierTool::requiredFlags() const {
  std::vector<std::string> flags = words(ask({"--required-flags"}));
  if (flags.empty()) {
    throw VerifierFailed(executable_.string() +
                         " --required-flags printed no flags");
  }
  return flags;
}

std::vector<std::filesystem::path> VerifierTool::runtimeIncludeDirs() const {
  const std::vector<std::string> dirs = lines(ask({"--runtime-include-dirs"}));
  return {dirs.begin(), dirs.end()};
}

std::size_t VerifierTool::ruleCount() const {
  return lines(ask({"--list-rules"})).size();
}

Verdict VerifierTool::check(const VerifyRequest &request) const {
  std::vector<std::string> argv{executable_.string(), "-p",
                                request.databaseDir.string()};
  if (request.binary) {
    argv.push_back("--binary=" + request.binary->string());
  }
  if (request.attestation) {
    argv.push_back("--attestation=" + request.attestation->string());
  }
  for (const fs::path &source : request.sources) {
    argv.push_back(source.string());
  }
  // The findings are kml-verify's report on stdout: they belong with the
  // other diagnostics on kml's stderr, not in the summary on stdout.
  CommandSetting setting;
  setting.stdoutToStderr = true;
  const int status = run(argv, setting);
  if (status == kVerifyPass) {
    return Verdict::Pass;
  }
  return status == kVerifyFindings ? Verdict::Findings : Verdict::Error;
}

} // namespace kml
