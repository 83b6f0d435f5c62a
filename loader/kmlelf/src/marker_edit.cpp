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

std::vector<std::byte> withFlags(const ElfImage &image,
                                 const MarkerInfo &marker, FlagChange change) {
  requireKnownVersion(marker);
  const std::uint32_t flags = change.applyTo(marker.desc.flags);
  std::vector<std::byte> bytes(image.bytes().begin(), image.bytes().end());
  store(bytes, marker.descOffset + offsetof(struct kml_note, flags), flags);
  return bytes;
}

} // namespace

std::vector<std::byte> withMarker(const ElfImage &image, bool enable) {
  return withMarker(image, flagChange(KML_NOTE_F_ENABLE, enable));
}

std::vector<std::byte> withMarker(const ElfImage &image, FlagChange change) {
  if (const auto &marker = image.marker()) {
    return withFlags(image, *marker, change);
  }
  return appendMarkerNote(image, change.set);
}

std::vector<std::byte> withMarkerFlag(const ElfImage &image, bool enable) {
  return withMarkerFlags(image, flagChange(KML_NOTE_F_ENABLE, enable));
}

std::vector<std::byte> withMarkerFlags(const ElfImage &image,
                                       FlagChange change) {
  const auto &marker = image.marker();
  if (!marker) {
    throw ElfError(ElfErrorKind::NoMarker,
                   "the file has no KML marker: add one with 'kml mark'");
  }
  return withFlags(image, *marker, change);
}

} // namespace kml
