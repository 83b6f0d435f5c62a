#pragma once
// The kernel's half of approval lists as a file: /sys/kernel/kml/approvals.
// Writing a list's absolute path, one line, has kml.ko read and check the
// list file itself; the write fails with an errno that says why. Reading
// it gives one line per loaded list. `kml approve` is its command line.

#include "kml/gate/gate_error.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace kml::gate {

// A failure to load or list approval lists: where, and the errno behind it.
class ApprovalsError : public GateError {
public:
  enum class Where {
    List,          // the list file cannot be named to the kernel
    ApprovalsFile, // the approvals file cannot be opened or read
    Kernel,        // kml.ko refused the list (the write's errno)
  };
  ApprovalsError(Where where, int errnoValue, const std::string &message)
      : GateError(message), where_(where), errno_(errnoValue) {}
  [[nodiscard]] Where where() const { return where_; }
  [[nodiscard]] int errnoValue() const { return errno_; }

private:
  Where where_;
  int errno_;
};

// What an errno from writing a list's path means (the contract in
// linux/kml_manifest.h), or strerror() for one the contract does not name.
std::string approvalsErrnoText(int errnoValue);

class ApprovalsSysfs {
public:
  // dir holds the file `approvals`: /sys/kernel/kml, or a stand-in.
  explicit ApprovalsSysfs(const std::filesystem::path &dir);

  static std::filesystem::path defaultDir() { return "/sys/kernel/kml"; }
  [[nodiscard]] const std::filesystem::path &file() const { return file_; }

  // Asks the kernel to load the list at path, made absolute and canonical
  // as the contract asks: the kernel's log and its list of loaded lists
  // then name a file one way, whatever the loader's working directory or
  // symbolic links. Returns that path. Throws ApprovalsError.
  [[nodiscard]] std::filesystem::path
  load(const std::filesystem::path &list) const;

  // The file's text as the kernel gives it. Throws ApprovalsError.
  [[nodiscard]] std::string loaded() const;

private:
  std::filesystem::path file_;
};

} // namespace kml::gate
