#pragma once
// Producing the new contents of a file whose KML marker is added or
// changed. The input image is never modified; callers write the result.

#include "kml/elf_image.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace kml {

// A change to a marker's flags word: clear some bits, then set others.
// Bits named in neither stay as they are, including ones this tool does
// not know, so that each command changes only the flag it is about.
struct FlagChange {
  std::uint32_t set = 0;
  std::uint32_t clear = 0;

  [[nodiscard]] constexpr std::uint32_t applyTo(std::uint32_t flags) const {
    return (flags & ~clear) | set;
  }
};

// The file with a marker whose enable flag is `enable`. If the file has a
// marker already, only its flags word changes (so marking twice gives the
// same bytes); otherwise a new note is appended (docs/marker.md, "Adding
// the note"). Throws ElfError (NewerMarker, Malformed).
std::vector<std::byte> withMarker(const ElfImage &image, bool enable);

// The file with a marker changed by `change`: an existing marker's flags
// word is changed (only that word); a new marker gets `change.set` as its
// flags. Throws ElfError (NewerMarker, Malformed).
std::vector<std::byte> withMarker(const ElfImage &image, FlagChange change);

// The file with the enable flag of its existing marker set to `enable`;
// every other byte is unchanged. Throws ElfError (NoMarker, NewerMarker,
// Malformed).
std::vector<std::byte> withMarkerFlag(const ElfImage &image, bool enable);

// The file with the flags word of its existing marker changed by `change`;
// every other byte is unchanged. Throws ElfError (NoMarker, NewerMarker,
// Malformed).
std::vector<std::byte> withMarkerFlags(const ElfImage &image,
                                       FlagChange change);

// The change that sets (enable) or clears (!enable) one flag.
constexpr FlagChange flagChange(std::uint32_t flag, bool enable) {
  return enable ? FlagChange{.set = flag} : FlagChange{.clear = flag};
}

} // namespace kml
