#include "kml/gate/sha256.hpp"

#include "kml/gate/gate_error.hpp"
#include "openssl_handles.hpp"

namespace kml::gate {

Digest sha256(std::span<const std::byte> bytes) {
  const detail::MdCtxPtr context(EVP_MD_CTX_new());
  Digest digest{};
  unsigned int size = 0;
  if (!context ||
      EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(context.get(), digest.data(), &size) != 1 ||
      size != digest.size()) {
    throwOpenSslError("cannot compute SHA-256");
  }
  return digest;
}

std::string hexDigits(std::span<const std::uint8_t> bytes) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string text;
  text.reserve(bytes.size() * 2);
  for (const std::uint8_t byte : bytes) {
    text += kDigits[byte >> 4];
    text += kDigits[byte & 0xf];
  }
  return text;
}

} // namespace kml::gate
