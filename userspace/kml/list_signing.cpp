#include "list_signing.hpp"

#include "approval_role.hpp"
#include "command.hpp"
#include "gate_cli.hpp"
#include "list_summary.hpp"
#include "marker_cli.hpp"

#include "kml/elf_error.hpp"
#include "kml/elf_layout.hpp"
#include "kml/file_io.hpp"
#include "kml/gate/approval_list.hpp"
#include "kml/gate/gate_error.hpp"
#include "kml/gate/sha256.hpp"

#include <iostream>
#include <optional>

namespace kml {
namespace {

constexpr std::string_view kCommand = "sign";

// A list file is data, not a program: readable by all, like a key's
// certificate; only root can load it anyway.
constexpr mode_t kListMode = 0644;

// A file's entry: the whole file's digest and size, its role from its
// headers or, for a named dynamic loader, interpreter.
gate::ListedFile listedFile(const std::string &name, bool asInterpreter) {
  const std::vector<std::byte> bytes = readWholeFile(name);
  const ElfLayout layout(bytes);
  return {name, gate::sha256(bytes), bytes.size(),
          asInterpreter ? interpreterRole(layout) : approvalRole(layout)};
}

// Every input in the builder, or the exit code of the first refused one.
std::optional<int> collect(const ListSignRequest &request,
                           gate::ApprovalListBuilder &builder,
                           std::vector<MergedFile> &merged) {
  const auto addAll = [&](const std::vector<std::string> &names,
                          bool asInterpreter) -> std::optional<int> {
    for (const std::string &name : names) {
      try {
        if (auto same = builder.add(listedFile(name, asInterpreter))) {
          merged.push_back({name, std::move(*same)});
        }
      } catch (const ElfError &error) {
        if (error.kind() == ElfErrorKind::NotElf) {
          return gateFailure(kCommand, name,
                             std::string(error.what()) +
                                 ": an approval list approves ELF programs, "
                                 "loaders and libraries only",
                             exitCodeFor(error.kind()));
        }
        return reportError(kCommand, name, error);
      } catch (const gate::GateError &error) {
        return gateFailure(kCommand, name, error.what(), kExitDataErr);
      }
    }
    return std::nullopt;
  };
  if (auto failed = addAll(request.interpreters, true)) {
    return failed;
  }
  return addAll(request.files, false);
}

} // namespace

int signApprovalListFiles(const ListSignRequest &request) {
  gate::ApprovalListBuilder builder;
  ListSummary summary;
  summary.output = request.output;
  if (auto failed = collect(request, builder, summary.merged)) {
    return *failed;
  }
  std::vector<std::byte> listFile;
  try {
    summary.list = builder.manifest({request.generation, request.bypass});
  } catch (const gate::GateError &error) {
    return gateFailure(kCommand, request.output, error.what(), kExitDataErr);
  }
  try {
    const gate::SigningKey key = loadSigningKey(request.key, kCommand);
    summary.signer = key.cert.subject();
    listFile = gate::signApprovalList(summary.list, key);
  } catch (const gate::GateError &error) {
    return gateFailure(kCommand, request.output, error.what(), kExitFailure);
  }
  summary.size = listFile.size();
  if (const int written =
          writeOutput(kCommand, request.output, listFile, kListMode);
      written != kExitOk) {
    return written;
  }
  printListSummary(std::cout, summary);
  return kExitOk;
}

} // namespace kml
