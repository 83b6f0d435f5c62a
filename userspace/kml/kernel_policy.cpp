#include "kernel_policy.hpp"

#include "command.hpp"

#include "kml/gate/manifest.hpp"

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace kml {
namespace {

std::string policyDirectory() {
  const char *dir =
      std::getenv("KML_SYSFS_DIR"); // NOLINT(concurrency-mt-unsafe)
  return dir != nullptr && *dir != '\0' ? dir : "/sys/kernel/kml";
}

// The file's first line, or nothing when it does not exist (an older
// kml.ko without it: the default holds).
std::optional<std::string> readValue(const std::filesystem::path &path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return std::nullopt;
  }
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) {
    throw PolicyError(path.string() + ": cannot be read", kExitIoErr);
  }
  return line;
}

std::uint64_t parseNumber(const std::filesystem::path &path,
                          const std::string &text) {
  std::uint64_t value = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() ||
      end != text.data() + text.size()) {
    throw PolicyError(path.string() + ": not a number: '" + text + "'",
                      kExitDataErr);
  }
  return value;
}

bool parseSwitch(const std::filesystem::path &path, const std::string &text) {
  const std::uint64_t value = parseNumber(path, text);
  if (value > 1) {
    throw PolicyError(path.string() + ": not 0 or 1: '" + text + "'",
                      kExitDataErr);
  }
  return value == 1;
}

} // namespace

KernelPolicy readKernelPolicy() {
  KernelPolicy policy;
  policy.directory = policyDirectory();
  const std::filesystem::path dir(policy.directory);
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) {
    return policy; // the defaults: no kml kernel here
  }
  policy.fromKernel = true;
  if (auto text = readValue(dir / "min_assurance")) {
    const auto assurance = gate::parseAssurance(*text);
    if (!assurance) {
      throw PolicyError((dir / "min_assurance").string() +
                            ": not an assurance: '" + *text + "'",
                        kExitDataErr);
    }
    policy.gate.minAssurance = *assurance;
  }
  if (auto text = readValue(dir / "min_generation")) {
    policy.gate.minGeneration = parseNumber(dir / "min_generation", *text);
  }
  if (auto text = readValue(dir / "allow_unsigned")) {
    policy.allowUnsigned = parseSwitch(dir / "allow_unsigned", *text);
  }
  if (auto text = readValue(dir / "allow_bypass")) {
    policy.allowBypass = parseSwitch(dir / "allow_bypass", *text);
  }
  return policy;
}

} // namespace kml
