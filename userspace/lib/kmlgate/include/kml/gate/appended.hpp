#pragma once
// The signature appended to a program, in module signing's layout:
//
//   [covered bytes][PKCS#7 DER][struct kml_sig_info][KML_SIG_MAGIC]
//
// Finding it from the end of a file, building it, and removing it.

#include <cstddef>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace kml::gate {

// The file ends in KML_SIG_MAGIC and a sensible kml_sig_info.
struct AppendedSignature {
  std::size_t pkcs7Offset = 0; // where the PKCS#7 starts: the covered length
  std::span<const std::byte> pkcs7;
};

// The file does not end in KML_SIG_MAGIC: no signature at all.
struct NoTrailer {};

// The file ends in KML_SIG_MAGIC, but the info block before it is not one
// this kml writes (wrong id type, non-zero fields, a sig_len of zero, over
// KML_SIG_MAX_LEN or larger than the file).
struct MalformedTrailer {
  std::string problem;
};

using TrailerScan =
    std::variant<NoTrailer, MalformedTrailer, AppendedSignature>;

// Looks at the end of file; the spans point into it.
TrailerScan findAppendedSignature(std::span<const std::byte> file);

// program + pkcs7 + info + magic. Throws GateError if pkcs7 is empty or
// larger than KML_SIG_MAX_LEN.
std::vector<std::byte> appendSignature(std::span<const std::byte> program,
                                       std::span<const std::byte> pkcs7);

// The program without its appended signature (all of file when there is
// none). Throws GateError for a malformed trailer: whatever is there, it
// is not something to sign over.
std::span<const std::byte> stripSignature(std::span<const std::byte> file);

} // namespace kml::gate
