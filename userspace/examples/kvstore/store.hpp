// kvstore: a bounded key-value store on std::unordered_map.
//
// The store holds at most `capacity` entries, and keys and values have a
// maximum length, so a client cannot make the program grow without bound:
// a full store refuses new keys (it still replaces existing ones), and an
// over-long key or value is refused before anything is copied.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace kvstore {

inline constexpr std::size_t max_key = 32;
inline constexpr std::size_t max_value = 96;

// FNV-1a, 64 bits: a checksum of the values a batch run read, so that two
// runs (at ring 3 and at ring 0) can be compared exactly.
constexpr std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

enum class set_outcome { inserted, replaced, full, too_long };

class store {
public:
  explicit store(std::size_t capacity) : capacity_(capacity) {
    entries_.reserve(capacity);
  }

  std::size_t size() const { return entries_.size(); }
  std::size_t capacity() const { return capacity_; }

  set_outcome set(std::string_view key, std::string_view value) {
    if (key.size() > max_key || value.size() > max_value)
      return set_outcome::too_long;
    std::string name(key);
    if (entries_.contains(name)) {
      entries_[name] = value;
      return set_outcome::replaced;
    }
    if (entries_.size() >= capacity_)
      return set_outcome::full;
    entries_.emplace(std::move(name), value);
    return set_outcome::inserted;
  }

  // A copy of the value: the caller may change the store while it holds it.
  std::optional<std::string> get(std::string_view key) const {
    const std::string name(key);
    if (key.size() > max_key || !entries_.contains(name))
      return std::nullopt;
    return entries_.at(name);
  }

  bool erase(std::string_view key) {
    return entries_.erase(std::string(key)) == 1;
  }

private:
  std::size_t capacity_;
  std::unordered_map<std::string, std::string> entries_;
};

} // namespace kvstore
