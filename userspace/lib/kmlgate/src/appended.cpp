#include "kml/gate/appended.hpp"

#include "kml/gate/gate_error.hpp"

#include <linux/kml_manifest.h>

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <string_view>

namespace kml::gate {
namespace {

constexpr std::size_t kInfoSize = sizeof(kml_sig_info);
constexpr std::size_t kTrailerSize = kInfoSize + KML_SIG_MAGIC_LEN;
constexpr auto kMaxSigLen = static_cast<std::size_t>(KML_SIG_MAX_LEN);

std::span<const std::byte> magicBytes() {
  static const std::string_view kMagic(KML_SIG_MAGIC, KML_SIG_MAGIC_LEN);
  return std::as_bytes(std::span(kMagic.data(), kMagic.size()));
}

// The fields module signing leaves zero for PKCS#7 must be zero here too:
// a reader that ignored them would let those bytes change unnoticed.
bool unusedFieldsZero(const kml_sig_info &info) {
  return info.algo == 0 && info.hash == 0 && info.signer_len == 0 &&
         info.key_id_len == 0 &&
         std::ranges::all_of(info.pad, [](__u8 b) { return b == 0; });
}

} // namespace

TrailerScan findAppendedSignature(std::span<const std::byte> file) {
  if (file.size() < kTrailerSize ||
      !std::ranges::equal(file.last(KML_SIG_MAGIC_LEN), magicBytes())) {
    return NoTrailer{};
  }
  kml_sig_info info{};
  std::memcpy(&info, file.data() + file.size() - kTrailerSize, kInfoSize);
  const std::size_t sigLen = ntohl(info.sig_len);
  if (info.id_type != KML_SIG_ID_PKCS7) {
    return MalformedTrailer{"signature id type " +
                            std::to_string(info.id_type) + ", not PKCS#7 (" +
                            std::to_string(KML_SIG_ID_PKCS7) + ")"};
  }
  if (!unusedFieldsZero(info)) {
    return MalformedTrailer{"non-zero unused fields in the signature info"};
  }
  if (sigLen == 0 || sigLen > kMaxSigLen) {
    return MalformedTrailer{"signature length " + std::to_string(sigLen) +
                            " outside 1.." + std::to_string(kMaxSigLen)};
  }
  const std::size_t available = file.size() - kTrailerSize;
  if (sigLen > available) {
    return MalformedTrailer{"signature length " + std::to_string(sigLen) +
                            " larger than the " + std::to_string(available) +
                            " bytes before the trailer"};
  }
  AppendedSignature found;
  found.pkcs7Offset = available - sigLen;
  found.pkcs7 = file.subspan(found.pkcs7Offset, sigLen);
  return found;
}

std::vector<std::byte> appendSignature(std::span<const std::byte> program,
                                       std::span<const std::byte> pkcs7) {
  if (pkcs7.empty() || pkcs7.size() > kMaxSigLen) {
    throw GateError("a signature of " + std::to_string(pkcs7.size()) +
                    " bytes does not fit the trailer (1.." +
                    std::to_string(kMaxSigLen) + ")");
  }
  kml_sig_info info{};
  info.id_type = KML_SIG_ID_PKCS7;
  info.sig_len = htonl(static_cast<std::uint32_t>(pkcs7.size()));

  std::vector<std::byte> out;
  out.reserve(program.size() + pkcs7.size() + kTrailerSize);
  out.insert(out.end(), program.begin(), program.end());
  out.insert(out.end(), pkcs7.begin(), pkcs7.end());
  const auto infoBytes = std::as_bytes(std::span(&info, 1));
  out.insert(out.end(), infoBytes.begin(), infoBytes.end());
  const auto magic = magicBytes();
  out.insert(out.end(), magic.begin(), magic.end());
  return out;
}

std::span<const std::byte> stripSignature(std::span<const std::byte> file) {
  const TrailerScan scan = findAppendedSignature(file);
  if (const auto *malformed = std::get_if<MalformedTrailer>(&scan)) {
    throw GateError("the file ends in a kml signature trailer that is "
                    "malformed: " +
                    malformed->problem);
  }
  if (const auto *found = std::get_if<AppendedSignature>(&scan)) {
    return file.first(found->pkcs7Offset);
  }
  return file;
}

} // namespace kml::gate
