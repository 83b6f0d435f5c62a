#pragma once
// The development keys on disk: NAME.key (the private key, mode 0600) and
// NAME.pem (its self-signed certificate) in one directory, by default
// $XDG_CONFIG_HOME/kml/keys or ~/.config/kml/keys (mode 0700).

#include "kml/gate/certificate.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace kml {

class KeyStore {
public:
  explicit KeyStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // The default directory. Throws gate::GateError when neither
  // XDG_CONFIG_HOME nor HOME is set.
  static std::filesystem::path defaultDir();

  [[nodiscard]] const std::filesystem::path &dir() const { return dir_; }
  [[nodiscard]] std::filesystem::path keyPath(std::string_view name) const;
  [[nodiscard]] std::filesystem::path certPath(std::string_view name) const;
  // Whether either file of NAME exists.
  [[nodiscard]] bool has(std::string_view name) const;

  // Generates a development key and writes both files, making the
  // directory if needed. Throws gate::GateError for a bad name or when
  // either file exists: a key is never overwritten.
  [[nodiscard]] gate::SigningKey create(std::string_view name) const;
  // Throws gate::GateError.
  [[nodiscard]] gate::SigningKey load(std::string_view name) const;

  // The names with a certificate (NAME.pem), sorted.
  [[nodiscard]] std::vector<std::string> names() const;

private:
  std::filesystem::path dir_;
};

// A key name is a plain file name: not empty, no '/', not starting with '.'.
bool validKeyName(std::string_view name);

} // namespace kml
