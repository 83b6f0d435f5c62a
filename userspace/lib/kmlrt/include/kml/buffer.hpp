// kml runtime: kml::buffer<T>, an owning heap array of fixed size.
//
// The only way ring-0 application code gets heap memory (rule R012 forbids
// raw new/delete/malloc/free outside the runtime). The size is fixed when
// the buffer is created; it is move-only and frees its storage in its
// destructor. Allocation failure is reported, not thrown:
//
//   auto table = kml::buffer<slot>::create(n);
//   if (!table.valid()) { /* out of memory, or n * sizeof(slot) overflows */ }
//
// Unsafe operations in this file: malloc/free, the cast of malloc's result
// to T*, placement new and explicit destructor calls over [data_, data_ +
// size_). Each is commented with why it stays inside the allocation.
#pragma once

#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>

#include "kml/span.hpp"

namespace kml {

template <class T> class buffer {
  static_assert(std::is_nothrow_default_constructible_v<T>,
                "elements are value-initialised when the buffer is created");
  static_assert(std::is_nothrow_destructible_v<T>);
  static_assert(alignof(T) <= alignof(std::max_align_t),
                "malloc only guarantees max_align_t alignment");

public:
  // An empty, invalid buffer (what a failed create() returns).
  constexpr buffer() noexcept = default;

  // Allocates `count` value-initialised elements. On failure (the byte count
  // overflows, or malloc returns null) returns an invalid buffer.
  // create(0) succeeds: a valid buffer with no elements.
  [[nodiscard]] static buffer create(size_t count) noexcept {
    size_t bytes = 0;
    if (!checked_mul(count, sizeof(T), bytes))
      return buffer();
    // malloc(0) may legally return null; ask for at least one byte so that
    // a null pointer always means failure.
    // This class is the allocation's owner (RAII): malloc, not new, so that
    // running out of memory is an empty buffer, not an exception.
    // NOLINTNEXTLINE(cppcoreguidelines-no-malloc,cppcoreguidelines-owning-memory)
    void *raw = std::malloc(bytes == 0 ? 1 : bytes);
    if (raw == nullptr)
      return buffer();
    // malloc's storage is suitably aligned for T (static_assert above) and
    // holds `count` objects of T (bytes == count * sizeof(T), no overflow).
    T *elements = static_cast<T *>(raw);
    for (size_t i = 0; i < count; ++i)
      ::new (static_cast<void *>(elements + i)) T(); // i < count: inside
    return buffer(elements, count);
  }

  // The same as create(count): check valid() afterwards.
  //   kml::buffer<int> b(16);
  //   if (!b.valid()) { /* out of memory */ }
  explicit buffer(size_t count) noexcept : buffer(create(count)) {}

  buffer(const buffer &) = delete;
  buffer &operator=(const buffer &) = delete;

  buffer(buffer &&other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)) {}
  buffer &operator=(buffer &&other) noexcept {
    if (this != &other) {
      release();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }
  ~buffer() { release(); }

  // True when the buffer owns storage (create() succeeded).
  constexpr bool valid() const noexcept { return data_ != nullptr; }
  constexpr explicit operator bool() const noexcept { return valid(); }
  constexpr size_t size() const noexcept { return size_; }

  T &operator[](size_t index) noexcept {
    check(index < size_);
    return data_[index]; // in bounds: checked above
  }
  const T &operator[](size_t index) const noexcept {
    check(index < size_);
    return data_[index]; // in bounds: checked above
  }

  // [data_, data_ + size_) is exactly the storage create() constructed.
  kml::span<T> span() noexcept { return kml::span<T>::unchecked(data_, size_); }
  kml::span<const T> span() const noexcept {
    return kml::span<const T>::unchecked(data_, size_);
  }

  span_iterator<T> begin() noexcept { return span().begin(); }
  span_iterator<T> end() noexcept { return span().end(); }
  span_iterator<const T> begin() const noexcept { return span().begin(); }
  span_iterator<const T> end() const noexcept { return span().end(); }

private:
  buffer(T *data, size_t size) noexcept : data_(data), size_(size) {}

  // Destroys the elements (last first, the reverse of construction) and
  // frees the storage; leaves the buffer empty.
  void release() noexcept {
    if (data_ == nullptr)
      return;
    if constexpr (!std::is_trivially_destructible_v<T>) {
      for (size_t i = size_; i > 0; --i)
        data_[i - 1].~T(); // i - 1 < size_: inside
    }
    // The pointer malloc returned in create() (see there).
    // NOLINTNEXTLINE(cppcoreguidelines-no-malloc,cppcoreguidelines-owning-memory)
    std::free(data_);
    data_ = nullptr;
    size_ = 0;
  }

  T *data_ = nullptr;
  size_t size_ = 0;
};

} // namespace kml
