#pragma once
// A byte buffer of x86-64 code placed at a known virtual address, with the
// few encodings the stubs and the prologue need. Relative fields are
// computed from the buffer's address, and a value that does not fit is an
// error rather than a silent truncation.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <stdexcept>
#include <vector>

namespace kml::rewrite {

class CodeWriter {
public:
  explicit CodeWriter(std::uint64_t address) : address_(address) {}

  std::uint64_t here() const { return address_ + bytes_.size(); }
  const std::vector<std::byte> &bytes() const { return bytes_; }

  void emit(std::initializer_list<std::uint8_t> bytes) {
    for (std::uint8_t b : bytes) {
      bytes_.push_back(std::byte{b});
    }
  }
  void emit(std::span<const std::byte> bytes) {
    bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
  }
  // A 32-bit field relative to the end of the instruction, which ends
  // `trailing` bytes after the field.
  void rel32(std::uint64_t target, unsigned trailing = 0) {
    const auto value =
        static_cast<std::int64_t>(target - (here() + 4 + trailing));
    if (value < INT32_MIN || value > INT32_MAX) {
      throw std::range_error("rel32 out of range");
    }
    le32(static_cast<std::uint32_t>(value));
  }
  void rel8(std::uint64_t target) {
    const auto value = static_cast<std::int64_t>(target - (here() + 1));
    if (value < INT8_MIN || value > INT8_MAX) {
      throw std::range_error("rel8 out of range");
    }
    emit({static_cast<std::uint8_t>(value)});
  }
  void le32(std::uint32_t value) {
    for (int i = 0; i < 4; ++i) {
      emit({static_cast<std::uint8_t>(value >> (8 * i))});
    }
  }
  // Pads with int3 up to a multiple of `align`: never executed.
  void alignTo(std::uint64_t align) {
    while (here() % align != 0) {
      emit({0xcc});
    }
  }
  // Overwrites a byte emitted earlier (forward short jumps).
  void patch8(std::uint64_t at, std::uint8_t value) {
    bytes_.at(at - address_) = std::byte{value};
  }

private:
  std::uint64_t address_;
  std::vector<std::byte> bytes_;
};

} // namespace kml::rewrite
