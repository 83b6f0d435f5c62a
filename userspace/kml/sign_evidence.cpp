#include "sign_evidence.hpp"

#include "child_command.hpp"

#include "kml/file_io.hpp"
#include "kml/gate/attestation.hpp"
#include "kml/gate/gate_error.hpp"
#include "kml/gate/sha256.hpp"

#include <stdexcept>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <vector>

namespace kml {
namespace {

namespace fs = std::filesystem;
using gate::GateError;

// kml-verify's exit codes (verifier/src/main.cpp).
constexpr int kVerifyPass = 0;
constexpr int kVerifyFindings = 1;

// The program bytes in a file of their own, for a validator that reads
// files, removed when done.
class TemporaryProgram {
public:
  explicit TemporaryProgram(std::span<const std::byte> bytes) {
    const char *tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp != nullptr && *tmp != 0 ? tmp : "/tmp") +
        "/kml-sign-XXXXXX";
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) {
      throw GateError("cannot make a temporary copy of the program");
    }
    ::close(fd);
    path_ = pattern;
    writeFileAtomically(path_, bytes, 0600);
  }
  TemporaryProgram(const TemporaryProgram &) = delete;
  TemporaryProgram &operator=(const TemporaryProgram &) = delete;
  TemporaryProgram(TemporaryProgram &&) = delete;
  TemporaryProgram &operator=(TemporaryProgram &&) = delete;
  ~TemporaryProgram() { ::unlink(path_.c_str()); }
  [[nodiscard]] const fs::path &path() const { return path_; }

private:
  fs::path path_;
};

// kml-verify next to this kml (an install, or a bundle), else from PATH.
std::string validatorCommand() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path beside = self.parent_path() / "kml-verify";
    if (::access(beside.c_str(), X_OK) == 0) {
      return beside.string();
    }
  }
  return "kml-verify";
}

void runValidator(const EvidenceRequest &request) {
  std::optional<TemporaryProgram> copy;
  std::string target = request.file;
  if (!request.programIsWholeFile) {
    copy.emplace(request.program);
    target = copy->path().string();
  }
  const std::string command = validatorCommand();
  const std::array<std::string_view, 3> argv{command, "--binary", target};
  int status = 0;
  try {
    status = runCommand(argv);
  } catch (const std::system_error &error) {
    throw GateError(
        "cannot run " + command +
        " (looked next to kml and in PATH): " + error.code().message());
  }
  if (status == kVerifyFindings) {
    throw EvidenceRefused("the binary validator (" + command +
                          " --binary) reported findings; not signing it as "
                          "validated");
  }
  if (status != kVerifyPass) {
    throw GateError(command + " --binary failed (exit status " +
                    std::to_string(status) + ")");
  }
}

Evidence readEvidence(const EvidenceRequest &request) {
  if (!request.attestationPath) {
    throw std::logic_error("readEvidence without an attestation");
  }
  const std::string &attestation = *request.attestationPath;
  const std::vector<std::byte> json = readWholeFile(attestation);
  gate::AttestationSummary summary;
  try {
    summary = gate::readAttestation(std::string_view(
        reinterpret_cast<const char *>(json.data()), json.size()));
  } catch (const GateError &error) {
    throw EvidenceRefused(attestation + ": " + error.what());
  }
  const std::string where = attestation + ": ";
  if (!summary.passed) {
    throw EvidenceRefused(where + "kml-verify did not pass (\"result\" is "
                                  "not \"pass\")");
  }
  if (!summary.binarySha256) {
    throw EvidenceRefused(where + "no binary in the attestation: run "
                                  "kml-verify with --binary on the program");
  }
  const std::string digest = gate::hexDigits(request.digest);
  if (*summary.binarySha256 != digest) {
    throw EvidenceRefused(where + "it attests the binary with SHA-256 " +
                          *summary.binarySha256 + ", the program's is " +
                          digest);
  }
  if (summary.binaryFindings != 0) {
    throw EvidenceRefused(where + "the binary validator reported findings");
  }
  if (request.assurance == gate::Assurance::Verified &&
      summary.translationUnits == 0) {
    throw EvidenceRefused(where + "no source was checked: verified needs "
                                  "kml-verify's source rules too");
  }
  return Evidence{summary.rulesetVersion, gate::sha256(json)};
}

} // namespace

Evidence gatherEvidence(const EvidenceRequest &request) {
  if (request.assurance == gate::Assurance::Verified &&
      !request.attestationPath) {
    throw EvidenceRefused("--assurance verified needs --attestation: "
                          "kml-verify's attestation of the sources and this "
                          "binary");
  }
  if (request.assurance == gate::Assurance::Validated) {
    runValidator(request);
  }
  if (request.attestationPath) {
    return readEvidence(request);
  }
  return {};
}

} // namespace kml
