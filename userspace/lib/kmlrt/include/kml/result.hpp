// kml runtime: a value or an error number, never an exception.
//
// Every fallible runtime call (allocation, parsing, I/O) returns a
// kml::result<T>. Reading the value of a failed result traps, so an
// unchecked error cannot turn into use of a garbage value.
#pragma once

#include <type_traits>
#include <utility>

#include "kml/check.hpp"

namespace kml {

// Tag for constructing a failed result: `return kml::failure{EINVAL};`.
// The code is an errno value; 0 is reserved for "no error", so failure{0}
// (say, errno read when nothing set it) is stored as -1: still a failure.
struct failure {
  int code;
};

template <class T> class [[nodiscard]] result {
  static_assert(std::is_default_constructible_v<T>,
                "a failed result still holds a (default) T");

public:
  constexpr result(T value) noexcept : value_(std::move(value)) {}
  constexpr result(failure f) noexcept : error_(f.code == 0 ? -1 : f.code) {}

  constexpr bool ok() const noexcept { return error_ == 0; }
  constexpr explicit operator bool() const noexcept { return ok(); }

  // The errno value of a failed result, 0 for a successful one.
  constexpr int error() const noexcept { return error_; }

  // The value; traps when the result is a failure.
  // Versions 14 and 19 of clang-format space a ref-qualifier differently.
  // clang-format off
  constexpr T &value() & noexcept {
    check(ok());
    return value_;
  }
  constexpr const T &value() const & noexcept {
    check(ok());
    return value_;
  }
  // clang-format on
  // Moves the value out (for move-only T such as kml::io::fd).
  constexpr T take() noexcept {
    check(ok());
    return std::move(value_);
  }
  constexpr T value_or(T fallback) const noexcept {
    return ok() ? value_ : fallback;
  }

private:
  T value_{};
  int error_ = 0;
};

// The result of an operation that produces no value.
struct done {};
using status = result<done>;

} // namespace kml
