// EXPECT: accept
// Near misses: bit casts to pointer-free types, from a pointer too.
#include <bit>
#include <cstdint>

struct Pair {
  std::uint32_t lo, hi;
};

Pair split(double d) { return std::bit_cast<Pair>(d); }

std::uintptr_t address(const int &x) {
  return std::bit_cast<std::uintptr_t>(&x);
}
