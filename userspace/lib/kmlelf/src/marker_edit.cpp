#include "kml/marker_edit.hpp"

#include "bytes.hpp"
#include "kml/elf_error.hpp"
#include "kml/text.hpp"
#include "note_appender.hpp"

#include <cstddef>

namespace kml {
namespace {

using detail::appendMarkerNote;
using detail::store;

// Refuses to rewrite a marker whose meaning this tool does not know.
void requireKnownVersion(const MarkerInfo &marker) {
  if (marker.desc.version > KML_NOTE_VERSION) {
    throw ElfError(ElfErrorKind::NewerMarker,
                   cat("the KML marker has version ", marker.desc.version,
                       " but this kml knows version ", KML_NOTE_VERSION,
                       " at most: use a newer kml"));
  }
  if (marker.desc.version == 0) {
    throw ElfError(ElfErrorKind::Malformed,
                   "the KML marker has version 0, which is invalid");
  }
}

std::vector<std::byte> withFlag(const ElfImage &image, const MarkerInfo &marker,
                                bool enable) {
  requireKnownVersion(marker);
  std::uint32_t flags = marker.desc.flags & ~KML_NOTE_F_ENABLE;
  if (enable) {
    flags |= KML_NOTE_F_ENABLE;
  }
  std::vector<std::byte> bytes(image.bytes().begin(), image.bytes().end());
  store(bytes, marker.descOffset + offsetof(struct kml_note, flags), flags);
  return bytes;
}

} // namespace

std::vector<std::byte> withMarker(const ElfImage &image, bool enable) {
  if (const auto &marker = image.marker()) {
    return withFlag(image, *marker, enable);
  }
  return appendMarkerNote(image, enable);
}

std::vector<std::byte> withMarkerFlag(const ElfImage &image, bool enable) {
  const auto &marker = image.marker();
  if (!marker) {
    throw ElfError(ElfErrorKind::NoMarker,
                   "the file has no KML marker: add one with 'kml mark'");
  }
  return withFlag(image, *marker, enable);
}

} // namespace kml
