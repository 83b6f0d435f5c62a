#pragma once
// Validating a few hand-assembled bytes as if they were code at kBase, for
// the tests that need no ELF file around them.
#include "kml/binary_validator.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace kml::binval {

inline constexpr std::uint64_t kBase = 0x401000;

inline Report scan(const std::vector<std::uint8_t> &raw,
                   const std::vector<Symbol> &symbols = {}) {
  std::vector<std::byte> code;
  code.reserve(raw.size());
  for (std::uint8_t b : raw)
    code.push_back(std::byte{b});
  return validateCode(code, kBase, symbols);
}

} // namespace kml::binval
