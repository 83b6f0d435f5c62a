// kml runtime: kml::array<T, N>, a fixed-size array with checked indexing.
//
// An aggregate (`kml::array<int, 3> a{1, 2, 3};`), so it lives on the stack
// or in a struct with no allocation. Indexing traps when out of range.
#pragma once

#include "kml/span.hpp"

namespace kml {

template <class T, size_t N> struct array {
  static_assert(N > 0, "a zero-length array has no storage to view");

  // Public only so that the type stays an aggregate; use operator[] or
  // span(), never this member, from application code.
  T elems_[N];

  static constexpr size_t size() noexcept { return N; }

  constexpr T &operator[](size_t index) noexcept {
    check(index < N);
    return elems_[index]; // in bounds: checked above
  }
  constexpr const T &operator[](size_t index) const noexcept {
    check(index < N);
    return elems_[index]; // in bounds: checked above
  }

  constexpr kml::span<T> span() noexcept { return kml::span<T>(elems_); }
  constexpr kml::span<const T> span() const noexcept {
    return kml::span<const T>(elems_);
  }

  constexpr span_iterator<T> begin() noexcept { return span().begin(); }
  constexpr span_iterator<T> end() noexcept { return span().end(); }
  constexpr span_iterator<const T> begin() const noexcept {
    return span().begin();
  }
  constexpr span_iterator<const T> end() const noexcept { return span().end(); }

  constexpr void fill(const T &value) noexcept {
    for (size_t i = 0; i < N; ++i)
      elems_[i] = value;
  }
};

} // namespace kml
