// kml verify FILE: the kernel's exec check in userspace, against the
// certificates given and those in the development key directory: the
// program image (exec_checks.hpp), its appended signature, the policy,
// then what the approval must also cover, in kml.ko's order.
// kml verify --list LIST FILE...: the same for an approval list and files
// it may approve (list_verify.cpp).

#include "arg_cursor.hpp"
#include "command.hpp"
#include "exec_checks.hpp"
#include "gate_cli.hpp"
#include "key_store.hpp"
#include "list_verify.hpp"
#include "marker_cli.hpp"
#include "subcommands.hpp"

#include "kml/elf_error.hpp"
#include "kml/elf_image.hpp"
#include "kml/file_io.hpp"
#include "kml/gate/gate_check.hpp"
#include "kml/gate/gate_error.hpp"

#include <charconv>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace kml {
namespace {

constexpr std::string_view kUsage =
    "verify FILE [--cert CERT.pem]... [--key-dir DIR] [--min-assurance A] "
    "[--min-generation N] [--allow-bypass 0|1]\n"
    "       kml verify --list LIST [FILE...] [the same options]";

struct VerifyOptions {
  std::vector<std::string> files;
  std::optional<std::string> list;
  std::vector<std::string> certs;
  std::optional<std::string> keyDir;
  gate::GatePolicy policy;
  ExecPolicy execPolicy;
};

VerifyOptions parse(Args args) {
  VerifyOptions options;
  ArgCursor cursor(args);
  while (!cursor.done()) {
    if (auto list = cursor.takeValue("--list")) {
      options.list = std::move(list);
    } else if (auto cert = cursor.takeValue("--cert")) {
      options.certs.push_back(std::move(*cert));
    } else if (auto dir = cursor.takeValue("--key-dir")) {
      options.keyDir = std::move(dir);
    } else if (auto assurance = cursor.takeValue("--min-assurance")) {
      const auto parsed = gate::parseAssurance(*assurance);
      if (!parsed) {
        throw UsageProblem{"--min-assurance is trusted, validated or "
                           "verified, not '" +
                           *assurance + "'"};
      }
      options.policy.minAssurance = *parsed;
    } else if (auto generation = cursor.takeValue("--min-generation")) {
      const std::string &text = *generation;
      const auto [end, error] = std::from_chars(
          text.data(), text.data() + text.size(), options.policy.minGeneration);
      if (text.empty() || error != std::errc() ||
          end != text.data() + text.size()) {
        throw UsageProblem{"--min-generation needs a whole number, not '" +
                           text + "'"};
      }
    } else if (auto bypass = cursor.takeValue("--allow-bypass")) {
      if (*bypass != "0" && *bypass != "1") {
        throw UsageProblem{"--allow-bypass is 0 or 1, as "
                           "/sys/kernel/kml/allow_bypass, not '" +
                           *bypass + "'"};
      }
      options.execPolicy.allowBypass = *bypass == "1";
    } else {
      options.files.push_back(cursor.takePositional());
    }
  }
  // A list alone is a check of the list; without one, exactly one program.
  if (!options.list && options.files.size() != 1) {
    throw UsageProblem{options.files.empty() ? "missing FILE"
                                             : "only one FILE"};
  }
  return options;
}

int refused(const std::string &file, const gate::GateVerdict &verdict) {
  std::cout << file << ": refused: " << verdict.describe() << "\n";
  return kExitFailure;
}

int verify(const VerifyOptions &options) {
  const std::string &file =
      options.list ? *options.list : options.files.front();
  std::vector<gate::Certificate> trusted;
  try {
    const std::filesystem::path keyDir =
        options.keyDir ? std::filesystem::path(*options.keyDir)
                       : KeyStore::defaultDir();
    trusted = trustedCertificates(options.certs, keyDir);
  } catch (const gate::GateError &error) {
    return gateFailure("verify", file, error.what(), kExitDataErr);
  }
  if (options.list) {
    return verifyApprovalList(*options.list, options.files, trusted,
                              options.policy);
  }
  std::vector<std::byte> bytes;
  try {
    bytes = readWholeFile(file);
  } catch (const ElfError &error) {
    return reportError("verify", file, error);
  }
  // An ELF program is checked as exec checks it; any other file (kml.ko
  // never runs it) by its signature alone.
  std::optional<ElfImage> image;
  try {
    // kml run's loader is exec'd like a program (docs/dynamic.md).
    image.emplace(bytes, Accept::SharedObjects);
  } catch (const ElfError &error) {
    if (error.kind() == ElfErrorKind::Dynamic) {
      return refused(file, gate::GateVerdict::refuse(gate::GateReason::DYNAMIC,
                                                     error.what()));
    }
  }
  if (image && gatedAtExec(*image)) {
    const gate::GateVerdict verdict = checkExecImage(*image);
    if (!verdict.allowed()) {
      return refused(file, verdict);
    }
  }
  gate::GateReport report;
  try {
    report = gate::checkSignedFile(bytes, trusted, options.policy);
  } catch (const gate::GateError &error) {
    return gateFailure("verify", file, error.what(), kExitDataErr);
  }
  if (!report.verdict.allowed()) {
    return refused(file, report.verdict);
  }
  if (!report.manifest) {
    throw std::logic_error("checkSignedFile allowed a file without its "
                           "manifest");
  }
  const gate::ManifestEntry &entry = report.manifest->entries.front();
  if (image && gatedAtExec(*image)) {
    const gate::GateVerdict verdict =
        checkExecApproval(*image, entry, options.execPolicy);
    if (!verdict.allowed()) {
      return refused(file, verdict);
    }
  }
  std::cout << file << ": allowed: assurance "
            << gate::assuranceName(entry.assurance) << ", generation "
            << report.manifest->generation << ", signed by "
            << report.signer.value_or("?") << "\n";
  return kExitOk;
}

} // namespace

int runVerify(Args args) {
  try {
    return verify(parse(args));
  } catch (const UsageProblem &problem) {
    return usageError("verify", problem.message, kUsage);
  }
}

} // namespace kml
