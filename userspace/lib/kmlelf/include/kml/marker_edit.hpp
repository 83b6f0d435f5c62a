#pragma once
// Producing the new contents of a file whose KML marker is added or
// changed. The input image is never modified; callers write the result.

#include "kml/elf_image.hpp"

#include <cstddef>
#include <vector>

namespace kml {

// The file with a marker whose enable flag is `enable`. If the file has a
// marker already, only its flags word changes (so marking twice gives the
// same bytes); otherwise a new note is appended (docs/marker.md, "Adding
// the note"). Throws ElfError (NewerMarker, Malformed).
std::vector<std::byte> withMarker(const ElfImage &image, bool enable);

// The file with the enable flag of its existing marker set to `enable`;
// every other byte is unchanged. Throws ElfError (NoMarker, NewerMarker,
// Malformed).
std::vector<std::byte> withMarkerFlag(const ElfImage &image, bool enable);

} // namespace kml
