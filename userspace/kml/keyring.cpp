#include "keyring.hpp"

#include "kml/gate/gate_error.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace kml {
namespace {

// The fields before the description: id flags usage timeout perm uid gid
// type.
constexpr int kFieldsBeforeDescription = 8;

std::optional<std::int32_t> keyringOnLine(const std::string &line,
                                          std::string_view description) {
  std::istringstream fields(line);
  std::string id;
  std::string type;
  std::string field;
  fields >> id;
  for (int i = 1; i < kFieldsBeforeDescription && fields >> field; ++i) {
    type = field;
  }
  if (!fields || type != "keyring") {
    return std::nullopt;
  }
  std::string rest;
  std::getline(fields >> std::ws, rest);
  // A keyring's line ends in ": <count>" or ": empty".
  const std::size_t colon = rest.rfind(": ");
  if (colon == std::string::npos || rest.substr(0, colon) != description) {
    return std::nullopt;
  }
  std::uint32_t serial = 0;
  const auto [end, error] =
      std::from_chars(id.data(), id.data() + id.size(), serial, 16);
  if (error != std::errc() || end != id.data() + id.size()) {
    return std::nullopt;
  }
  return static_cast<std::int32_t>(serial);
}

} // namespace

std::optional<std::int32_t> findKeyring(std::string_view procKeys,
                                        std::string_view description) {
  std::istringstream lines{std::string(procKeys)};
  for (std::string line; std::getline(lines, line);) {
    if (auto serial = keyringOnLine(line, description)) {
      return serial;
    }
  }
  return std::nullopt;
}

std::int32_t enrollCertificate(std::span<const std::byte> der,
                               std::string_view keyring) {
  std::ifstream in("/proc/keys");
  if (!in) {
    throw gate::GateError("cannot read /proc/keys (a kernel without "
                          "CONFIG_KEYS?)");
  }
  const std::string procKeys{std::istreambuf_iterator<char>(in), {}};
  const auto serial = findKeyring(procKeys, keyring);
  if (!serial) {
    std::string message =
        "no keyring '" + std::string(keyring) + "' in /proc/keys";
    if (keyring == ".kml") {
      message += ": is kml.ko loaded?";
    }
    throw gate::GateError(message);
  }
  // An empty description: the kernel names the key after the certificate.
  const long key =
      ::syscall(SYS_add_key, "asymmetric", "", der.data(), der.size(), *serial);
  if (key < 0) {
    throw gate::GateError("the kernel refused the certificate for '" +
                          std::string(keyring) + "': " + std::strerror(errno));
  }
  return static_cast<std::int32_t>(key);
}

} // namespace kml
