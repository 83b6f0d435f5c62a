#pragma once
// kml-verify as `kml build` asks it: the flags and headers it requires,
// its rules, and its verdict on translation units (and a binary) given by
// a compilation database. Its findings go to kml's stderr as it prints
// them, rule IDs and all.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace kml {

// kml-verify could not be run, or failed in a way that is not a verdict.
class VerifierFailed : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// What a check asks for beyond the sources of the database.
struct VerifyRequest {
  std::filesystem::path databaseDir;
  std::vector<std::filesystem::path> sources;
  std::optional<std::filesystem::path> binary;      // --binary
  std::optional<std::filesystem::path> attestation; // --attestation
};

enum class Verdict { Pass, Findings, Error };

class VerifierTool {
public:
  // scratch: a file it may write for the answers it reads.
  VerifierTool(std::filesystem::path executable, std::filesystem::path scratch);

  [[nodiscard]] const std::filesystem::path &executable() const {
    return executable_;
  }
  // --required-flags. Throws VerifierFailed.
  [[nodiscard]] std::vector<std::string> requiredFlags() const;
  // --runtime-include-dirs. Throws VerifierFailed.
  [[nodiscard]] std::vector<std::filesystem::path> runtimeIncludeDirs() const;
  // How many rules --list-rules names. Throws VerifierFailed.
  [[nodiscard]] std::size_t ruleCount() const;

  // Runs the checks; findings and errors are on stderr. Throws
  // VerifierFailed when kml-verify cannot be started.
  [[nodiscard]] Verdict check(const VerifyRequest &request) const;

private:
  // The standard output of kml-verify ARGS, which must succeed.
  [[nodiscard]] std::string ask(const std::vector<std::string> &args) const;

  std::filesystem::path executable_;
  std::filesystem::path scratch_;
};

} // namespace kml
