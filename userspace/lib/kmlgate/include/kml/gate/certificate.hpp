#pragma once
// X.509 certificates and private keys as values: loaded from PEM or DER
// files, asked for what `kml key list` shows, and shared (copying one
// takes another reference on the same OpenSSL object).

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

using X509 = struct x509_st;         // NOLINT(readability-identifier-naming)
using EVP_PKEY = struct evp_pkey_st; // NOLINT(readability-identifier-naming)

namespace kml::gate {

class Certificate {
public:
  // Takes ownership of cert (not null).
  explicit Certificate(X509 *cert);

  // The first certificate of a PEM file, or a DER file. Throws GateError.
  static Certificate fromFile(const std::filesystem::path &path);
  static Certificate fromDer(std::span<const std::byte> der);

  [[nodiscard]] X509 *get() const { return cert_.get(); }
  [[nodiscard]] std::vector<std::byte> der() const;
  [[nodiscard]] std::string pem() const;
  // RFC 2253 text: "CN=kml development key default".
  [[nodiscard]] std::string subject() const;
  // SHA-256 of the DER, lower-case hex.
  [[nodiscard]] std::string fingerprint() const;
  // notAfter as "YYYY-MM-DD".
  [[nodiscard]] std::string expiry() const;

private:
  std::shared_ptr<X509> cert_;
};

class PrivateKey {
public:
  // Takes ownership of key (not null).
  explicit PrivateKey(EVP_PKEY *key);

  // An unencrypted PEM private key. Throws GateError.
  static PrivateKey fromFile(const std::filesystem::path &path);

  [[nodiscard]] EVP_PKEY *get() const { return key_.get(); }
  // PKCS#8 PEM, unencrypted.
  [[nodiscard]] std::string pem() const;
  // Whether cert carries this key's public half.
  [[nodiscard]] bool matches(const Certificate &cert) const;

private:
  std::shared_ptr<EVP_PKEY> key_;
};

// What signs: the private key and the certificate that names it.
struct SigningKey {
  PrivateKey key;
  Certificate cert;
};

} // namespace kml::gate
