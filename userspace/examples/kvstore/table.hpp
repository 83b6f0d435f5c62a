// kvstore: a fixed-capacity hash table with open addressing.
//
// Keys and values are short strings stored inline in the slots, so the table
// is a single kml::buffer allocated once: no allocation per operation and no
// pointers between slots. Collisions are resolved by linear probing; deleted
// slots become tombstones so that probe chains stay intact, and the table is
// rebuilt in place (into a fresh buffer) when tombstones pile up.
#pragma once

#include <cstdint>
#include <utility>

#include "kml/buffer.hpp"
#include "kml/string.hpp"

namespace kvstore {

inline constexpr size_t max_key = 32;
inline constexpr size_t max_value = 96;

using key_text = kml::fixed_string<max_key + 1>;
using value_text = kml::fixed_string<max_value + 1>;

// FNV-1a, 64 bits: simple, and good enough for short text keys.
constexpr uint64_t hash_key(kml::string_view key) noexcept {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : key) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

namespace detail {
// One slot of the table. Outside the class so that it is complete (and
// known to be nothrow default-constructible) where kml::buffer<slot> is
// instantiated.
enum class slot_state : uint8_t { empty, full, tombstone };
struct slot {
  slot_state state = slot_state::empty;
  uint64_t hash = 0;
  key_text key;
  value_text value;
};
} // namespace detail

enum class set_outcome { inserted, replaced, full, too_long };

class table {
public:
  // A table holding up to `capacity` entries. Slots are the next power of
  // two at or above twice the capacity, so the load factor stays <= 1/2.
  // Check valid() afterwards: the allocation may fail.
  explicit table(size_t capacity) noexcept
      : capacity_(capacity),
        slots_(kml::buffer<slot>::create(slot_count_for(capacity))) {}

  bool valid() const noexcept { return slots_.valid() && capacity_ > 0; }
  size_t size() const noexcept { return live_; }
  size_t capacity() const noexcept { return capacity_; }
  size_t slot_count() const noexcept { return slots_.size(); }
  // How many times tombstones were swept out (for tests and tuning).
  size_t rebuilds() const noexcept { return rebuilds_; }

  set_outcome set(kml::string_view key, kml::string_view value) noexcept {
    if (key.size() > max_key || value.size() > max_value)
      return set_outcome::too_long;
    uint64_t h = hash_key(key);
    probe p = find(key, h);
    if (p.found) {
      slots_[p.index].value = value_text(value);
      return set_outcome::replaced;
    }
    if (live_ == capacity_)
      return set_outcome::full;
    slot &s = slots_[p.index];
    if (s.state == slot_state::tombstone)
      --tombstones_;
    s.state = slot_state::full;
    s.hash = h;
    s.key = key_text(key);
    s.value = value_text(value);
    ++live_;
    return set_outcome::inserted;
  }

  // The value stored under `key`, or nothing (found == false).
  struct lookup {
    bool found = false;
    kml::string_view value;
  };
  lookup get(kml::string_view key) const noexcept {
    if (key.size() > max_key)
      return {};
    probe p = find(key, hash_key(key));
    if (!p.found)
      return {};
    return {true, slots_[p.index].value.view()};
  }

  bool erase(kml::string_view key) noexcept {
    if (key.size() > max_key)
      return false;
    probe p = find(key, hash_key(key));
    if (!p.found)
      return false;
    slot &s = slots_[p.index];
    s.state = slot_state::tombstone;
    s.key.clear();
    s.value.clear();
    --live_;
    ++tombstones_;
    if (tombstones_ > slots_.size() / 4)
      rebuild();
    return true;
  }

private:
  using slot_state = detail::slot_state;
  using slot = detail::slot;

  // Where a probe ended: the key's slot (found), or the slot a new entry
  // for the key should take (the first tombstone passed, else the empty
  // slot that ended the chain).
  struct probe {
    bool found = false;
    size_t index = 0;
  };

  static size_t slot_count_for(size_t capacity) noexcept {
    size_t wanted = 0;
    if (capacity == 0 || !kml::checked_mul(capacity, 2, wanted))
      return 0;
    size_t n = 1;
    while (n < wanted) {
      if (!kml::checked_mul(n, 2, n))
        return 0;
    }
    return n;
  }

  probe find(kml::string_view key, uint64_t h) const noexcept {
    size_t mask = slots_.size() - 1; // slot count is a power of two
    size_t index = static_cast<size_t>(h) & mask;
    bool have_reuse = false;
    size_t reuse = 0;
    // At most one full lap: the load factor keeps empty slots around, and
    // the bound makes termination obvious even if it did not.
    for (size_t step = 0; step < slots_.size(); ++step) {
      const slot &s = slots_[index];
      if (s.state == slot_state::empty)
        return {false, have_reuse ? reuse : index};
      if (s.state == slot_state::tombstone) {
        if (!have_reuse) {
          have_reuse = true;
          reuse = index;
        }
      } else if (s.hash == h && s.key.view() == key) {
        return {true, index};
      }
      index = (index + 1) & mask;
    }
    // No empty slot anywhere: there must be a tombstone, since live
    // entries never exceed half the slots.
    return {false, reuse};
  }

  // Re-inserts every live entry into a fresh buffer, dropping tombstones.
  // If the new buffer cannot be allocated the old one stays (still
  // correct, only slower).
  void rebuild() noexcept {
    auto fresh = kml::buffer<slot>::create(slots_.size());
    if (!fresh.valid())
      return;
    size_t mask = fresh.size() - 1;
    for (const slot &s : slots_) {
      if (s.state != slot_state::full)
        continue;
      size_t index = static_cast<size_t>(s.hash) & mask;
      while (fresh[index].state != slot_state::empty)
        index = (index + 1) & mask;
      fresh[index] = s;
    }
    slots_ = std::move(fresh);
    tombstones_ = 0;
    ++rebuilds_;
  }

  size_t capacity_;
  kml::buffer<slot> slots_;
  size_t live_ = 0;
  size_t tombstones_ = 0;
  size_t rebuilds_ = 0;
};

} // namespace kvstore
