#include "kml/gate/cms.hpp"

#include "kml/gate/gate_error.hpp"
#include "openssl_handles.hpp"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/objects.h>

#include <algorithm>
#include <climits>
#include <optional>
#include <utility>

namespace kml::gate {
namespace {

// What CMS_sign and CMS_verify are told: binary content (no MIME
// canonicalisation), no signed attributes, no S/MIME capabilities.
constexpr unsigned kSignFlags = CMS_BINARY | CMS_NOATTR | CMS_NOSMIMECAP;

std::string issuerAndSerial(CMS_SignerInfo *info) {
  ASN1_OCTET_STRING *keyId = nullptr;
  X509_NAME *issuer = nullptr;
  ASN1_INTEGER *serial = nullptr;
  if (CMS_SignerInfo_get0_signer_id(info, &keyId, &issuer, &serial) != 1) {
    ERR_clear_error();
    return "an unnamed signer";
  }
  const detail::BioPtr bio = detail::memoryWriter();
  if (issuer != nullptr) {
    X509_NAME_print_ex(bio.get(), issuer, 0, XN_FLAG_RFC2253);
    BIO_puts(bio.get(), ", serial ");
    i2a_ASN1_INTEGER(bio.get(), serial);
  } else if (keyId != nullptr) {
    BIO_puts(bio.get(), "key id ");
    i2a_ASN1_STRING(bio.get(), keyId, V_ASN1_OCTET_STRING);
  }
  const std::vector<std::byte> text = detail::bioContents(bio.get());
  return {reinterpret_cast<const char *>(text.data()), text.size()};
}

// DER building for canonicalDer(): tag, definite minimal length, contents.
void appendTlv(std::vector<unsigned char> &out, unsigned char tag,
               const std::vector<unsigned char> &contents) {
  out.push_back(tag);
  const std::size_t size = contents.size();
  if (size < 0x80) {
    out.push_back(static_cast<unsigned char>(size));
  } else {
    std::vector<unsigned char> digits;
    for (std::size_t rest = size; rest != 0; rest >>= 8) {
      digits.insert(digits.begin(), static_cast<unsigned char>(rest & 0xff));
    }
    out.push_back(static_cast<unsigned char>(0x80 | digits.size()));
    out.insert(out.end(), digits.begin(), digits.end());
  }
  out.insert(out.end(), contents.begin(), contents.end());
}

std::vector<unsigned char> tlv(unsigned char tag,
                               const std::vector<unsigned char> &contents) {
  std::vector<unsigned char> out;
  appendTlv(out, tag, contents);
  return out;
}

std::vector<unsigned char>
concat(std::initializer_list<std::vector<unsigned char>> parts) {
  std::vector<unsigned char> out;
  for (const auto &part : parts) {
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

// The DER of an OpenSSL object through its i2d function.
template <class T, int (*Encode)(const T *, unsigned char **)>
std::vector<unsigned char> encoded(const T *object) {
  const int size = Encode(object, nullptr);
  if (size <= 0) {
    throwOpenSslError("cannot encode a PKCS#7 field");
  }
  std::vector<unsigned char> out(static_cast<std::size_t>(size));
  unsigned char *cursor = out.data();
  Encode(object, &cursor);
  return out;
}

std::vector<unsigned char> oid(int nid) {
  return encoded<ASN1_OBJECT, i2d_ASN1_OBJECT>(OBJ_nid2obj(nid));
}

constexpr unsigned char kSequence = 0x30;
constexpr unsigned char kSet = 0x31;
constexpr unsigned char kInteger = 0x02;
constexpr unsigned char kOctetString = 0x04;
constexpr unsigned char kNull = 0x05;
constexpr unsigned char kContext0 = 0xa0; // [0], constructed

// The message of the format, byte for byte, for this content, signer and
// signature value: what CMS_sign and `openssl cms -sign -noattr` write.
// OpenSSL's parser is lenient (a primitive SET, any string type or
// spacing in the signer's name, any parameter after the signature
// algorithm, any version number), and the signature covers none of those
// bytes; comparing with this is what makes every byte of an accepted
// message count.
std::vector<unsigned char> canonicalDer(std::span<const std::byte> content,
                                        X509 *signer, int signatureNid,
                                        const ASN1_OCTET_STRING *signature,
                                        bool withCertificate) {
  const std::vector<unsigned char> one = tlv(kInteger, {1});
  const std::vector<unsigned char> sha256 = tlv(kSequence, oid(NID_sha256));
  // RSA's algorithm identifier has a NULL parameter, ECDSA's none.
  const std::vector<unsigned char> signatureAlgorithm =
      tlv(kSequence, signatureNid == NID_rsaEncryption
                         ? concat({oid(signatureNid), tlv(kNull, {})})
                         : oid(signatureNid));
  const auto *contentBytes =
      reinterpret_cast<const unsigned char *>(content.data());
  const std::vector<unsigned char> encapsulated =
      tlv(kSequence,
          concat({oid(NID_pkcs7_data),
                  tlv(kContext0,
                      tlv(kOctetString,
                          {contentBytes, contentBytes + content.size()}))}));
  const std::vector<unsigned char> issuerAndSerial = tlv(
      kSequence,
      concat({encoded<X509_NAME, i2d_X509_NAME>(X509_get_issuer_name(signer)),
              encoded<ASN1_INTEGER, i2d_ASN1_INTEGER>(
                  X509_get0_serialNumber(signer))}));
  const unsigned char *signatureBytes = ASN1_STRING_get0_data(signature);
  const std::vector<unsigned char> signerInfo =
      tlv(kSequence,
          concat({one, issuerAndSerial, sha256, signatureAlgorithm,
                  tlv(kOctetString,
                      {signatureBytes,
                       signatureBytes + ASN1_STRING_length(signature)})}));
  const std::vector<unsigned char> certificates =
      withCertificate ? tlv(kContext0, encoded<X509, i2d_X509>(signer))
                      : std::vector<unsigned char>{};
  const std::vector<unsigned char> signedData =
      tlv(kSequence, concat({one, tlv(kSet, sha256), encapsulated, certificates,
                             tlv(kSet, signerInfo)}));
  return tlv(kSequence,
             concat({oid(NID_pkcs7_signed), tlv(kContext0, signedData)}));
}

// A parsed message that has the shape of the format; everything the
// signature does not cover is checked here, so that no byte of an accepted
// message can change without the check failing.
class SignedMessage {
public:
  // The message, or why der is not one of the format.
  static std::variant<SignedMessage, std::string>
  parse(std::span<const std::byte> der);

  [[nodiscard]] CMS_ContentInfo *cms() const { return cms_.get(); }
  [[nodiscard]] CMS_SignerInfo *signerInfo() const { return signer_; }
  [[nodiscard]] std::vector<std::byte> content() const;
  // The certificates carried in the message (not trusted by themselves).
  [[nodiscard]] std::vector<Certificate> embeddedCertificates() const;

private:
  SignedMessage(detail::CmsPtr cms, CMS_SignerInfo *signer)
      : cms_(std::move(cms)), signer_(signer) {}
  static std::optional<std::string> shapeProblem(CMS_ContentInfo *cms);
  static std::optional<std::string> signerProblem(CMS_SignerInfo *signer);

  detail::CmsPtr cms_;
  CMS_SignerInfo *signer_; // owned by cms_
};

std::variant<SignedMessage, std::string>
SignedMessage::parse(std::span<const std::byte> der) {
  if (der.size() > static_cast<std::size_t>(LONG_MAX)) {
    return std::string("the PKCS#7 message is too large");
  }
  const auto *start = reinterpret_cast<const unsigned char *>(der.data());
  const unsigned char *cursor = start;
  detail::CmsPtr cms(
      d2i_CMS_ContentInfo(nullptr, &cursor, static_cast<long>(der.size())));
  if (!cms) {
    return "not a DER PKCS#7 message: " + opensslErrors();
  }
  // sig_len says where the message starts; bytes after its end would be
  // bytes nobody checks.
  if (cursor != start + der.size()) {
    return std::to_string(start + der.size() - cursor) +
           " bytes after the end of the PKCS#7 message";
  }
  if (auto problem = shapeProblem(cms.get())) {
    return *problem;
  }
  CMS_SignerInfo *signer =
      sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms.get()), 0);
  if (auto problem = signerProblem(signer)) {
    return *problem;
  }
  return SignedMessage(std::move(cms), signer);
}

std::optional<std::string> SignedMessage::shapeProblem(CMS_ContentInfo *cms) {
  if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
    return "the PKCS#7 message is not signed-data";
  }
  if (OBJ_obj2nid(CMS_get0_eContentType(cms)) != NID_pkcs7_data) {
    return "the signed content type is not id-data";
  }
  ASN1_OCTET_STRING **content = CMS_get0_content(cms);
  if (content == nullptr || *content == nullptr) {
    return "the PKCS#7 message carries no content (a detached signature)";
  }
  STACK_OF(CMS_SignerInfo) *signers = CMS_get0_SignerInfos(cms);
  if (signers == nullptr || sk_CMS_SignerInfo_num(signers) != 1) {
    return "the PKCS#7 message has " +
           std::to_string(signers != nullptr ? sk_CMS_SignerInfo_num(signers)
                                             : 0) +
           " signers, not 1";
  }
  const detail::OwnedCrlStack crls(CMS_get1_crls(cms));
  if (crls && sk_X509_CRL_num(crls.get()) > 0) {
    return std::string("the PKCS#7 message carries CRLs");
  }
  return std::nullopt;
}

std::optional<std::string>
SignedMessage::signerProblem(CMS_SignerInfo *signer) {
  X509_ALGOR *digest = nullptr;
  X509_ALGOR *signature = nullptr;
  CMS_SignerInfo_get0_algs(signer, nullptr, nullptr, &digest, &signature);
  if (digest == nullptr || OBJ_obj2nid(digest->algorithm) != NID_sha256) {
    return std::string("the digest algorithm is not SHA-256");
  }
  // The algorithms CMS_sign writes for RSA and EC keys; naming the hash in
  // the signature algorithm too would be a second spelling of the same
  // signature.
  const int signatureNid =
      signature != nullptr ? OBJ_obj2nid(signature->algorithm) : NID_undef;
  if (signatureNid != NID_rsaEncryption &&
      signatureNid != NID_ecdsa_with_SHA256) {
    return std::string("unexpected signature algorithm ") +
           (signatureNid != NID_undef ? OBJ_nid2sn(signatureNid) : "(none)");
  }
  if (CMS_signed_get_attr_count(signer) >= 0) {
    return std::string(
        "the signer has signed attributes (the format has none)");
  }
  if (CMS_unsigned_get_attr_count(signer) >= 0) {
    return std::string("the signer has unsigned attributes");
  }
  return std::nullopt;
}

std::vector<std::byte> SignedMessage::content() const {
  const ASN1_OCTET_STRING *content = *CMS_get0_content(cms_.get());
  const auto *data =
      reinterpret_cast<const std::byte *>(ASN1_STRING_get0_data(content));
  return {data, data + ASN1_STRING_length(content)};
}

std::vector<Certificate> SignedMessage::embeddedCertificates() const {
  const detail::OwnedX509Stack certs(CMS_get1_certs(cms_.get()));
  std::vector<Certificate> out;
  for (int i = 0; certs && i < sk_X509_num(certs.get()); ++i) {
    X509 *cert = sk_X509_value(certs.get(), i);
    X509_up_ref(cert);
    out.emplace_back(cert);
  }
  return out;
}

GateVerdict badSignature(std::string detail) {
  return GateVerdict::refuse(GateReason::BAD_SIGNATURE, std::move(detail));
}

} // namespace

std::vector<std::byte> signContent(std::span<const std::byte> content,
                                   const SigningKey &signer) {
  if (!signer.key.matches(signer.cert)) {
    throw GateError("the private key does not belong to the certificate");
  }
  const detail::BioPtr input = detail::memoryReader(content);
  // CMS_PARTIAL first, so the signer can be added with SHA-256 named
  // explicitly rather than left to OpenSSL's default for the key.
  const detail::CmsPtr cms(
      CMS_sign(nullptr, nullptr, nullptr, nullptr, kSignFlags | CMS_PARTIAL));
  if (!cms ||
      CMS_add1_signer(cms.get(), signer.cert.get(), signer.key.get(),
                      EVP_sha256(), kSignFlags) == nullptr ||
      CMS_final(cms.get(), input.get(), nullptr, kSignFlags) != 1) {
    throwOpenSslError("cannot sign");
  }
  const detail::BioPtr output = detail::memoryWriter();
  if (i2d_CMS_bio(output.get(), cms.get()) != 1) {
    throwOpenSslError("cannot encode the signature");
  }
  return detail::bioContents(output.get());
}

std::variant<VerifiedContent, GateVerdict>
verifyContent(std::span<const std::byte> der,
              std::span<const Certificate> trusted) {
  auto parsed = SignedMessage::parse(der);
  if (auto *problem = std::get_if<std::string>(&parsed)) {
    return badSignature(std::move(*problem));
  }
  const SignedMessage &message = std::get<SignedMessage>(parsed);
  const auto signer = std::ranges::find_if(trusted, [&](const Certificate &c) {
    return CMS_SignerInfo_cert_cmp(message.signerInfo(), c.get()) == 0;
  });
  if (signer == trusted.end()) {
    return GateVerdict::refuse(GateReason::UNKNOWN_KEY,
                               "signed by " +
                                   issuerAndSerial(message.signerInfo()));
  }
  // A certificate in the message is not trusted for anything: it may only
  // be the trusted one, byte for byte, or its bytes could change freely.
  const std::vector<std::byte> trustedDer = signer->der();
  for (const Certificate &embedded : message.embeddedCertificates()) {
    if (embedded.der() != trustedDer) {
      return badSignature("the PKCS#7 message carries a certificate that is "
                          "not the trusted signer's");
    }
  }
  const detail::BorrowedX509Stack certs(sk_X509_new_null());
  if (!certs || sk_X509_push(certs.get(), signer->get()) == 0) {
    throwOpenSslError("cannot list the signer's certificate");
  }
  const detail::BioPtr output = detail::memoryWriter();
  // The signer's certificate is trusted because it is in the set, as a key
  // in a kernel keyring is: no chain to build (NO_SIGNER_CERT_VERIFY), and
  // only the set names the signer (NOINTERN).
  if (CMS_verify(message.cms(), certs.get(), nullptr, nullptr, output.get(),
                 CMS_BINARY | CMS_NOINTERN | CMS_NO_SIGNER_CERT_VERIFY) != 1) {
    return badSignature("the signature does not verify: " + opensslErrors());
  }
  X509_ALGOR *signatureAlgorithm = nullptr;
  CMS_SignerInfo_get0_algs(message.signerInfo(), nullptr, nullptr, nullptr,
                           &signatureAlgorithm);
  const std::vector<unsigned char> canonical =
      canonicalDer(message.content(), signer->get(),
                   OBJ_obj2nid(signatureAlgorithm->algorithm),
                   CMS_SignerInfo_get0_signature(message.signerInfo()),
                   !message.embeddedCertificates().empty());
  if (!std::ranges::equal(std::as_bytes(std::span(canonical)), der)) {
    return badSignature("the PKCS#7 message is not in the format's DER form "
                        "(a field OpenSSL accepts but the format does not)");
  }
  return VerifiedContent{detail::bioContents(output.get()), *signer};
}

std::variant<UnverifiedContent, std::string>
readContent(std::span<const std::byte> der) {
  auto parsed = SignedMessage::parse(der);
  if (auto *problem = std::get_if<std::string>(&parsed)) {
    return std::move(*problem);
  }
  const SignedMessage &message = std::get<SignedMessage>(parsed);
  UnverifiedContent out{message.content(),
                        issuerAndSerial(message.signerInfo())};
  for (const Certificate &cert : message.embeddedCertificates()) {
    if (CMS_SignerInfo_cert_cmp(message.signerInfo(), cert.get()) == 0) {
      out.signer = cert.subject();
    }
  }
  return out;
}

} // namespace kml::gate
