#include "kml/gate/development_key.hpp"

#include "kml/gate/gate_error.hpp"
#include "openssl_handles.hpp"

#include <openssl/bn.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>

namespace kml::gate {
namespace {

constexpr int kRsaBits = 2048;
constexpr long kValidDays = 36525; // 100 years, leap days included

using BignumPtr = std::unique_ptr<BIGNUM, detail::FreeWith<BIGNUM, BN_free>>;
using ExtensionPtr =
    std::unique_ptr<X509_EXTENSION,
                    detail::FreeWith<X509_EXTENSION, X509_EXTENSION_free>>;

// A random positive 63-bit serial: issuer and serial name the signer in
// the PKCS#7, so two development keys must not share one.
void setRandomSerial(X509 *cert) {
  const BignumPtr serial(BN_new());
  if (!serial ||
      BN_rand(serial.get(), 63, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert)) ==
          nullptr) {
    throwOpenSslError("cannot make a certificate serial number");
  }
}

void addExtension(X509 *cert, int nid, const char *value) {
  X509V3_CTX context{};
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  const ExtensionPtr extension(
      X509V3_EXT_conf_nid(nullptr, &context, nid, value));
  if (!extension || X509_add_ext(cert, extension.get(), -1) != 1) {
    throwOpenSslError(std::string("cannot add the certificate extension ") +
                      OBJ_nid2sn(nid));
  }
}

void setName(X509 *cert, std::string_view keyName) {
  const std::string commonName = "kml development key " + std::string(keyName);
  X509_NAME *name = X509_get_subject_name(cert);
  if (X509_NAME_add_entry_by_txt(
          name, "CN", MBSTRING_UTF8,
          reinterpret_cast<const unsigned char *>(commonName.c_str()), -1, -1,
          0) != 1 ||
      X509_set_issuer_name(cert, name) != 1) {
    throwOpenSslError("cannot set the certificate's name");
  }
}

} // namespace

SigningKey generateDevelopmentKey(std::string_view name) {
  PrivateKey key(EVP_RSA_gen(kRsaBits));

  X509 *raw = X509_new();
  if (raw == nullptr) {
    throwOpenSslError("cannot make a certificate");
  }
  Certificate cert(raw);
  if (X509_set_version(raw, X509_VERSION_3) != 1 ||
      X509_gmtime_adj(X509_getm_notBefore(raw), 0) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(raw), kValidDays, 0, nullptr) ==
          nullptr ||
      X509_set_pubkey(raw, key.get()) != 1) {
    throwOpenSslError("cannot fill in the certificate");
  }
  setRandomSerial(raw);
  setName(raw, name);
  addExtension(raw, NID_basic_constraints, "critical,CA:FALSE");
  addExtension(raw, NID_key_usage, "critical,digitalSignature");
  addExtension(raw, NID_subject_key_identifier, "hash");
  addExtension(raw, NID_authority_key_identifier, "keyid:always");
  if (X509_sign(raw, key.get(), EVP_sha256()) <= 0) {
    throwOpenSslError("cannot self-sign the certificate");
  }
  return SigningKey{key, cert};
}

} // namespace kml::gate
