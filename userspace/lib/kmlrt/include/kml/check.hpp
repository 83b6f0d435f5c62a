// kml runtime: the one primitive every checked operation is built on.
//
// A failed check stops the program with `ud2` (__builtin_trap), which the
// kernel delivers as SIGILL. At CPL 0 a trap is the only acceptable outcome
// of a bad index: undefined behaviour there can corrupt the kernel.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kml {

using std::size_t;

// Stops the program when `ok` is false. Never returns in that case, so code
// after a check may rely on the condition.
[[gnu::always_inline]] constexpr void check(bool ok) noexcept {
  if (!ok) [[unlikely]]
    __builtin_trap();
}

// Overflow-checked size arithmetic for length computations: returns false
// (and leaves `out` untouched) when the exact result does not fit.
[[nodiscard]] constexpr bool checked_add(size_t a, size_t b,
                                         size_t &out) noexcept {
  size_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum))
    return false;
  out = sum;
  return true;
}

[[nodiscard]] constexpr bool checked_mul(size_t a, size_t b,
                                         size_t &out) noexcept {
  size_t product = 0;
  if (__builtin_mul_overflow(a, b, &product))
    return false;
  out = product;
  return true;
}

} // namespace kml
