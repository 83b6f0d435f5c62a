#pragma once
// Adding a KML marker note to a file that has none (docs/marker.md,
// "Adding the note").

#include "kml/elf_image.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace kml::detail {

// The file with a new marker note appended and mapped, its program header
// table moved to the end of the file; the note's flags word is `flags`.
// Throws ElfError(Malformed).
std::vector<std::byte> appendMarkerNote(const ElfImage &image,
                                        std::uint32_t flags);

} // namespace kml::detail
