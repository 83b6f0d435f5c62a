#pragma once
// Owning handles for the OpenSSL objects the gate uses: std::unique_ptr
// with the matching free function, so no path leaks one.

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace kml::gate::detail {

template <class T, void (*Free)(T *)> struct FreeWith {
  void operator()(T *object) const { Free(object); }
};

using BioPtr = std::unique_ptr<BIO, FreeWith<BIO, BIO_free_all>>;
using CmsPtr = std::unique_ptr<CMS_ContentInfo,
                               FreeWith<CMS_ContentInfo, CMS_ContentInfo_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, FreeWith<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, FreeWith<X509, X509_free>>;
using MdCtxPtr =
    std::unique_ptr<EVP_MD_CTX, FreeWith<EVP_MD_CTX, EVP_MD_CTX_free>>;

// A stack that only borrows its certificates (sk_X509_free, not pop_free).
struct BorrowedX509StackFree {
  void operator()(STACK_OF(X509) * stack) const { sk_X509_free(stack); }
};
using BorrowedX509Stack =
    std::unique_ptr<STACK_OF(X509), BorrowedX509StackFree>;

// A stack that owns its certificates, as CMS_get1_certs() returns.
struct OwnedX509StackFree {
  void operator()(STACK_OF(X509) * stack) const {
    sk_X509_pop_free(stack, X509_free);
  }
};
using OwnedX509Stack = std::unique_ptr<STACK_OF(X509), OwnedX509StackFree>;

struct OwnedCrlStackFree {
  void operator()(STACK_OF(X509_CRL) * stack) const {
    sk_X509_CRL_pop_free(stack, X509_CRL_free);
  }
};
using OwnedCrlStack = std::unique_ptr<STACK_OF(X509_CRL), OwnedCrlStackFree>;

// A read-only memory BIO over bytes that outlive it.
BioPtr memoryReader(std::span<const std::byte> bytes);
// A growing memory BIO, and what was written into it.
BioPtr memoryWriter();
std::vector<std::byte> bioContents(BIO *bio);

} // namespace kml::gate::detail
