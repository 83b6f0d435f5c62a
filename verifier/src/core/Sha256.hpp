// SHA-256 through OpenSSL's EVP interface (no home-made hashing).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace kml::verify {

class Sha256 {
public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256 &) = delete;
  Sha256 &operator=(const Sha256 &) = delete;

  void update(std::string_view bytes);
  /// Lower-case hex digest; the object cannot be updated afterwards.
  std::string finishHex();

  static std::string hex(std::string_view bytes);
  /// nullopt when the file cannot be read.
  static std::optional<std::string> hexOfFile(const std::filesystem::path &p);

private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

} // namespace kml::verify
