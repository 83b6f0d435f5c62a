#include "list_verify.hpp"

#include "command.hpp"
#include "gate_cli.hpp"
#include "marker_cli.hpp"

#include "kml/elf_error.hpp"
#include "kml/file_io.hpp"
#include "kml/gate/approval_list.hpp"
#include "kml/gate/gate_error.hpp"

#include <algorithm>
#include <iostream>
#include <stdexcept>

namespace kml {
namespace {

constexpr std::string_view kCommand = "verify";

// The verdict on one file; its exit code.
int verifyFile(const std::string &file, const gate::Manifest &list,
               const gate::GatePolicy &policy) {
  std::vector<std::byte> bytes;
  try {
    bytes = readWholeFile(file);
  } catch (const ElfError &error) {
    return reportError(kCommand, file, error);
  }
  const gate::ListedFileReport report =
      gate::checkListedFile(list, bytes, policy);
  if (!report.verdict.allowed()) {
    std::cout << file << ": refused: " << report.verdict.describe() << "\n";
    return kExitFailure;
  }
  if (!report.entry) {
    throw std::logic_error("checkListedFile allowed a file without its entry");
  }
  std::cout << file << ": allowed: " << gate::roleName(report.entry->role)
            << ", assurance " << gate::assuranceName(report.entry->assurance)
            << "\n";
  return kExitOk;
}

} // namespace

int verifyApprovalList(const std::string &list,
                       const std::vector<std::string> &files,
                       std::span<const gate::Certificate> trusted,
                       const gate::GatePolicy &policy) {
  gate::GateReport report;
  try {
    report = gate::checkApprovalList(readWholeFile(list), trusted, policy);
  } catch (const ElfError &error) {
    return reportError(kCommand, list, error);
  } catch (const gate::GateError &error) {
    return gateFailure(kCommand, list, error.what(), kExitDataErr);
  }
  if (!report.verdict.allowed()) {
    std::cout << list << ": refused: " << report.verdict.describe() << "\n";
    return kExitFailure;
  }
  if (!report.manifest) {
    throw std::logic_error("checkApprovalList allowed a list without its "
                           "manifest");
  }
  std::cout << list << ": allowed: approval list of "
            << report.manifest->entries.size() << " entries, generation "
            << report.manifest->generation << ", signed by "
            << report.signer.value_or("?") << "\n";
  // Every file is checked and shown; the worst outcome is the exit code
  // (66, an unreadable file, over 1, a refusal).
  int status = kExitOk;
  for (const std::string &file : files) {
    status = std::max(status, verifyFile(file, *report.manifest, policy));
  }
  return status;
}

} // namespace kml
