#pragma once
// The gate's policy as the running kml.ko has it: its files in
// /sys/kernel/kml ($KML_SYSFS_DIR when set, for tests), or the defaults
// when there is no such directory (no kml kernel here).

#include "explain_model.hpp"

#include <stdexcept>
#include <string>

namespace kml {

// A policy file that exists but cannot be read or understood.
class PolicyError : public std::runtime_error {
public:
  PolicyError(const std::string &message, int exitCode)
      : std::runtime_error(message), exitCode_(exitCode) {}
  // kExitIoErr for a file that cannot be read, kExitDataErr for a value
  // that makes no sense.
  [[nodiscard]] int exitCode() const { return exitCode_; }

private:
  int exitCode_;
};

// Throws PolicyError.
KernelPolicy readKernelPolicy();

} // namespace kml
