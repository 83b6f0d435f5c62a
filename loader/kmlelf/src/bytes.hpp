#pragma once
// Helpers for patching a file image in memory, and the x86-64 limits
// its layout must respect.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace kml::detail {

// x86-64 page size: the kernel maps segments in units of it, so a new
// PT_LOAD's file offset and address must agree modulo it.
inline constexpr std::uint64_t kPageSize = 0x1000;

constexpr std::uint64_t alignUp(std::uint64_t value, std::uint64_t align) {
  return (value + align - 1) & ~(align - 1);
}

template <class T>
void store(std::vector<std::byte> &bytes, std::uint64_t offset,
           const T &value) {
  std::memcpy(bytes.data() + offset, &value, sizeof value);
}

// End of the x86-64 user address space (4-level paging): a PT_LOAD beyond
// it cannot be mapped, and checking against it keeps address arithmetic
// on segments from overflowing.
inline constexpr std::uint64_t kUserSpaceEnd = 0x7ffffffff000;

// True when [offset, offset + size) lies inside a file of fileSize bytes,
// written so that huge values cannot wrap around.
constexpr bool fitsInFile(std::uint64_t offset, std::uint64_t size,
                          std::uint64_t fileSize) {
  return offset <= fileSize && size <= fileSize - offset;
}

} // namespace kml::detail
