#pragma once
// The marker of a file a test has marked, for the tests that read its
// fields: a file without one fails the test (an exception, which
// GoogleTest reports) instead of reading an empty std::optional.

#include "kml/elf_image.hpp"

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <vector>

namespace kml::test {

inline MarkerInfo markerOf(const ElfImage &image) {
  const std::optional<MarkerInfo> &marker = image.marker();
  if (!marker) {
    throw std::runtime_error("the file has no KML marker");
  }
  return *marker;
}

inline MarkerInfo markerOf(const std::vector<std::byte> &bytes) {
  return markerOf(ElfImage(bytes));
}

} // namespace kml::test
