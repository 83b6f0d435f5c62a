// kml approve LIST: load a signed approval list into the running kernel
// through /sys/kernel/kml/approvals (kml.ko reads and checks the file
// itself); kml approve --list: the lists it has loaded.

#include "arg_cursor.hpp"
#include "command.hpp"
#include "gate_cli.hpp"
#include "marker_cli.hpp"
#include "subcommands.hpp"

#include "kml/gate/approvals_sysfs.hpp"

#include <cerrno>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>

namespace kml {
namespace {

constexpr std::string_view kCommand = "approve";
constexpr std::string_view kUsage =
    "approve LIST [--sysfs-dir DIR] | approve --list [--sysfs-dir DIR]";

struct ApproveOptions {
  std::optional<std::string> list;
  bool showLoaded = false;
  // Where the approvals file is: /sys/kernel/kml, or a stand-in (tests).
  std::string sysfsDir = gate::ApprovalsSysfs::defaultDir();
};

ApproveOptions parse(Args args) {
  ApproveOptions options;
  ArgCursor cursor(args);
  while (!cursor.done()) {
    if (cursor.takeFlag("--list")) {
      options.showLoaded = true;
    } else if (auto dir = cursor.takeValue("--sysfs-dir")) {
      options.sysfsDir = std::move(*dir);
    } else if (options.list) {
      throw UsageProblem{"only one LIST"};
    } else {
      options.list = cursor.takePositional();
    }
  }
  if (options.showLoaded == options.list.has_value()) {
    throw UsageProblem{options.showLoaded ? "either LIST or --list"
                                          : "missing LIST"};
  }
  return options;
}

// A refusal is the kernel's (or the permissions') no, 1; a list that is
// not there, 66; no approvals file, kml.ko not loaded, 69.
int exitCodeFor(const gate::ApprovalsError &error) {
  using Where = gate::ApprovalsError::Where;
  const int err = error.errnoValue();
  if (error.where() == Where::Kernel || err == EACCES || err == EPERM) {
    return kExitFailure;
  }
  if (error.where() == Where::List) {
    return kExitNoInput;
  }
  return err == ENOENT ? kExitUnavailable : kExitIoErr;
}

int approve(const ApproveOptions &options) {
  const gate::ApprovalsSysfs sysfs(options.sysfsDir);
  const std::string subject = options.list.value_or(sysfs.file().string());
  try {
    if (options.showLoaded) {
      std::cout << sysfs.loaded();
      return kExitOk;
    }
    if (!options.list) {
      throw std::logic_error("approve: neither LIST nor --list passed the "
                             "option check");
    }
    const auto loaded = sysfs.load(*options.list);
    std::cout << loaded.string() << ": loaded\n";
  } catch (const gate::ApprovalsError &error) {
    return gateFailure(kCommand, subject, error.what(), exitCodeFor(error));
  }
  return kExitOk;
}

} // namespace

int runApprove(Args args) {
  try {
    return approve(parse(args));
  } catch (const UsageProblem &problem) {
    return usageError(kCommand, problem.message, kUsage);
  }
}

} // namespace kml
