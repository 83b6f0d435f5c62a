// kml runtime: kml::span<T>, a bounds-checked view of contiguous elements.
//
// A span is a pointer plus a length. Every element access checks the index
// and traps when it is out of range. Iteration uses an index-based iterator
// that checks on dereference, so application code (including the hidden code
// of a range-for loop) never does raw pointer arithmetic (rule R006).
//
// Unsafe operations in this file: `data_ + offset` and `data_[index]`. Each
// one is preceded by a check that keeps it inside [data_, data_ + size_).
#pragma once

#include <type_traits>

#include "kml/check.hpp"

namespace kml {

template <class T> class span;

// Forward iterator over a span. Holds the span's base and length so that
// dereferencing can check the index; incrementing past the end is harmless,
// dereferencing there traps.
template <class T> class span_iterator {
public:
  using value_type = std::remove_cv_t<T>;
  using difference_type = std::ptrdiff_t;

  constexpr span_iterator() noexcept = default;

  constexpr T &operator*() const noexcept {
    check(index_ < size_);
    return base_[index_]; // in bounds: checked above
  }
  constexpr span_iterator &operator++() noexcept {
    ++index_;
    return *this;
  }
  constexpr span_iterator operator++(int) noexcept {
    span_iterator old = *this;
    ++index_;
    return old;
  }
  // Iterators of one span differ only by index.
  constexpr bool operator==(const span_iterator &other) const noexcept {
    return index_ == other.index_;
  }

private:
  friend class span<T>;
  constexpr span_iterator(T *base, size_t size, size_t index) noexcept
      : base_(base), size_(size), index_(index) {}

  T *base_ = nullptr;
  size_t size_ = 0;
  size_t index_ = 0;
};

template <class T> class span {
public:
  using element_type = T;
  using value_type = std::remove_cv_t<T>;
  using iterator = span_iterator<T>;

  constexpr span() noexcept = default;

  // A whole C array: the length comes from the type, so it is exact.
  // Explicit so that a string literal never silently becomes a span that
  // includes its NUL (kml::string_view takes literals instead).
  template <size_t N>
  constexpr explicit span(T (&elements)[N]) noexcept
      : data_(elements), size_(N) {}

  // span<U> converts to span<const U>.
  template <class U>
    requires(std::is_same_v<const U, T> && !std::is_same_v<U, T>)
  constexpr span(span<U> other) noexcept
      : data_(other.data()), size_(other.size()) {}

  // Builds a span from a pointer and a length nobody checked. For the
  // runtime's own containers only: application code must not call it (the
  // caller vouches that [data, data + size) is valid storage).
  static constexpr span unchecked(T *data, size_t size) noexcept {
    return span(data, size);
  }

  constexpr size_t size() const noexcept { return size_; }
  constexpr size_t size_bytes() const noexcept { return size_ * sizeof(T); }
  constexpr bool empty() const noexcept { return size_ == 0; }
  // The raw pointer, for handing to libc inside the runtime.
  constexpr T *data() const noexcept { return data_; }

  constexpr T &operator[](size_t index) const noexcept {
    check(index < size_);
    return data_[index]; // in bounds: checked above
  }
  constexpr T &front() const noexcept { return (*this)[0]; }
  constexpr T &back() const noexcept {
    check(size_ > 0);
    return (*this)[size_ - 1];
  }

  // Elements [offset, offset + count). Traps unless the range is inside.
  constexpr span subspan(size_t offset, size_t count) const noexcept {
    check(offset <= size_ && count <= size_ - offset);
    return span(data_ + offset, count); // in bounds: checked above
  }
  // Elements [offset, size()). Traps when offset > size().
  constexpr span subspan(size_t offset) const noexcept {
    check(offset <= size_);
    return span(data_ + offset, size_ - offset); // in bounds: checked above
  }
  constexpr span first(size_t count) const noexcept {
    return subspan(0, count);
  }
  constexpr span last(size_t count) const noexcept {
    check(count <= size_);
    return subspan(size_ - count, count);
  }

  constexpr iterator begin() const noexcept {
    return iterator(data_, size_, 0);
  }
  constexpr iterator end() const noexcept {
    return iterator(data_, size_, size_);
  }

private:
  constexpr span(T *data, size_t size) noexcept : data_(data), size_(size) {}

  T *data_ = nullptr;
  size_t size_ = 0;
};

template <class T, size_t N> span(T (&)[N]) -> span<T>;

// Copies all of `src` to the front of `dst`; traps when `dst` is shorter.
template <class T>
constexpr void copy(span<const std::type_identity_t<T>> src,
                    span<T> dst) noexcept {
  check(src.size() <= dst.size());
  for (size_t i = 0; i < src.size(); ++i)
    dst[i] = src[i];
}

// Copies as much of `src` as fits into `dst`; returns how many elements.
template <class T>
constexpr size_t copy_prefix(span<const std::type_identity_t<T>> src,
                             span<T> dst) noexcept {
  size_t n = src.size() < dst.size() ? src.size() : dst.size();
  for (size_t i = 0; i < n; ++i)
    dst[i] = src[i];
  return n;
}

template <class T>
constexpr void fill(span<T> dst,
                    const std::type_identity_t<T> &value) noexcept {
  for (size_t i = 0; i < dst.size(); ++i)
    dst[i] = value;
}

template <class T>
constexpr bool equal(span<const T> a, span<const T> b) noexcept {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i]))
      return false;
  return true;
}

} // namespace kml
