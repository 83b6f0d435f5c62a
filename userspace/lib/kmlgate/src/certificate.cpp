#include "kml/gate/certificate.hpp"

#include "kml/gate/gate_error.hpp"
#include "kml/gate/sha256.hpp"
#include "openssl_handles.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <array>
#include <climits>
#include <ctime>
#include <fstream>
#include <iterator>

namespace kml::gate {

namespace detail {

BioPtr memoryReader(std::span<const std::byte> bytes) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    throw GateError("too many bytes for an OpenSSL memory buffer");
  }
  BioPtr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
  if (!bio) {
    throwOpenSslError("cannot make a memory buffer");
  }
  return bio;
}

BioPtr memoryWriter() {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio) {
    throwOpenSslError("cannot make a memory buffer");
  }
  return bio;
}

std::vector<std::byte> bioContents(BIO *bio) {
  char *data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  if (size <= 0 || data == nullptr) {
    return {};
  }
  const auto *bytes = reinterpret_cast<const std::byte *>(data);
  return {bytes, bytes + size};
}

} // namespace detail

namespace {

std::vector<std::byte> readFile(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw GateError("cannot read " + path.string());
  }
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  const auto *bytes = reinterpret_cast<const std::byte *>(text.data());
  return {bytes, bytes + text.size()};
}

std::string bioText(BIO *bio) {
  const std::vector<std::byte> bytes = detail::bioContents(bio);
  return {reinterpret_cast<const char *>(bytes.data()), bytes.size()};
}

} // namespace

Certificate::Certificate(X509 *cert) : cert_(cert, X509_free) {
  if (!cert_) {
    throw GateError("no certificate");
  }
}

Certificate Certificate::fromFile(const std::filesystem::path &path) {
  const std::vector<std::byte> bytes = readFile(path);
  const detail::BioPtr bio = detail::memoryReader(bytes);
  if (X509 *cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    return Certificate(cert);
  }
  ERR_clear_error();
  try {
    return fromDer(bytes);
  } catch (const GateError &) {
    throw GateError(path.string() + ": not a PEM or DER X.509 certificate");
  }
}

Certificate Certificate::fromDer(std::span<const std::byte> der) {
  const auto *cursor = reinterpret_cast<const unsigned char *>(der.data());
  X509 *cert = d2i_X509(nullptr, &cursor, static_cast<long>(der.size()));
  if (cert == nullptr) {
    throwOpenSslError("not a DER X.509 certificate");
  }
  return Certificate(cert);
}

std::vector<std::byte> Certificate::der() const {
  unsigned char *out = nullptr;
  const int size = i2d_X509(cert_.get(), &out);
  if (size <= 0) {
    throwOpenSslError("cannot encode a certificate");
  }
  const std::unique_ptr<unsigned char, void (*)(unsigned char *)> owned(
      out, [](unsigned char *p) { OPENSSL_free(p); });
  const auto *bytes = reinterpret_cast<const std::byte *>(out);
  return {bytes, bytes + size};
}

std::string Certificate::pem() const {
  const detail::BioPtr bio = detail::memoryWriter();
  if (PEM_write_bio_X509(bio.get(), cert_.get()) != 1) {
    throwOpenSslError("cannot encode a certificate");
  }
  return bioText(bio.get());
}

std::string Certificate::subject() const {
  const detail::BioPtr bio = detail::memoryWriter();
  if (X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert_.get()), 0,
                         XN_FLAG_RFC2253) < 0) {
    throwOpenSslError("cannot print a certificate subject");
  }
  return bioText(bio.get());
}

std::string Certificate::fingerprint() const {
  return hexDigits(sha256(der()));
}

std::string Certificate::expiry() const {
  std::tm when{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert_.get()), &when) != 1) {
    return "unknown";
  }
  std::array<char, 16> text{};
  if (std::strftime(text.data(), text.size(), "%Y-%m-%d", &when) == 0) {
    return "unknown";
  }
  return text.data();
}

PrivateKey::PrivateKey(EVP_PKEY *key) : key_(key, EVP_PKEY_free) {
  if (!key_) {
    throw GateError("no private key");
  }
}

PrivateKey PrivateKey::fromFile(const std::filesystem::path &path) {
  const std::vector<std::byte> bytes = readFile(path);
  const detail::BioPtr bio = detail::memoryReader(bytes);
  EVP_PKEY *key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) {
    throwOpenSslError(path.string() + ": not an unencrypted PEM private key");
  }
  return PrivateKey(key);
}

std::string PrivateKey::pem() const {
  const detail::BioPtr bio = detail::memoryWriter();
  if (PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0,
                               nullptr, nullptr) != 1) {
    throwOpenSslError("cannot encode a private key");
  }
  return bioText(bio.get());
}

bool PrivateKey::matches(const Certificate &cert) const {
  const bool same = X509_check_private_key(cert.get(), key_.get()) == 1;
  ERR_clear_error();
  return same;
}

} // namespace kml::gate
