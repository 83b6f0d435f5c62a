// kml runtime: bounded text handling with no hidden overflow.
//
//   kml::string_view    a checked, non-owning view of characters
//   kml::fixed_string   a fixed-capacity, always NUL-terminated text buffer;
//                       appends that do not fit are cut and reported
//   kml::copy_text      bounded copy into a span of char, reports truncation
//   kml::parse_u64/i64  decimal (or other base) parsing with range checks
//   kml::format_u64/i64 integer formatting into a span, fails if too small
//
// Everything here is built on kml::span and kml::array; the only raw
// pointer use is c_str(), which hands a NUL-terminated buffer to libc.
#pragma once

#include <cerrno>
#include <cstdint>
#include <limits>

#include "kml/array.hpp"
#include "kml/result.hpp"
#include "kml/span.hpp"

namespace kml {

class string_view {
public:
  static constexpr size_t npos = static_cast<size_t>(-1);

  constexpr string_view() noexcept = default;
  constexpr explicit string_view(span<const char> chars) noexcept
      : chars_(chars) {}
  // A character array, usually a string literal. The text ends at the first
  // NUL inside the array or at its end, whichever comes first, so a buffer
  // without a terminator is still read in bounds.
  template <size_t N>
  constexpr string_view(const char (&text)[N]) noexcept
      : chars_(span<const char>(text).first(bounded_length(text))) {}

  constexpr size_t size() const noexcept { return chars_.size(); }
  constexpr bool empty() const noexcept { return chars_.empty(); }
  constexpr span<const char> chars() const noexcept { return chars_; }
  constexpr char operator[](size_t index) const noexcept {
    return chars_[index];
  }

  // Characters [pos, pos + count), count clamped to the end. Traps when
  // pos > size().
  constexpr string_view substr(size_t pos, size_t count = npos) const noexcept {
    check(pos <= size());
    size_t available = size() - pos;
    return string_view(
        chars_.subspan(pos, count < available ? count : available));
  }

  // Index of the first `c` at or after `from`, or npos.
  constexpr size_t find(char c, size_t from = 0) const noexcept {
    for (size_t i = from; i < size(); ++i)
      if (chars_[i] == c)
        return i;
    return npos;
  }

  constexpr bool starts_with(string_view prefix) const noexcept {
    return prefix.size() <= size() && substr(0, prefix.size()) == prefix;
  }

  // Without leading and trailing blanks (space, tab, CR, LF).
  constexpr string_view trim() const noexcept {
    size_t begin = 0;
    size_t end = size();
    while (begin < end && is_blank(chars_[begin]))
      ++begin;
    while (end > begin && is_blank(chars_[end - 1]))
      --end;
    return substr(begin, end - begin);
  }

  friend constexpr bool operator==(string_view a, string_view b) noexcept {
    return equal(a.chars_, b.chars_);
  }

  constexpr span_iterator<const char> begin() const noexcept {
    return chars_.begin();
  }
  constexpr span_iterator<const char> end() const noexcept {
    return chars_.end();
  }

  static constexpr bool is_blank(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

private:
  template <size_t N>
  static constexpr size_t bounded_length(const char (&text)[N]) noexcept {
    span<const char> all(text);
    for (size_t i = 0; i < N; ++i)
      if (all[i] == '\0')
        return i;
    return N;
  }

  span<const char> chars_;
};

// `text` cut at the first `separator`: head is before it, tail after it.
// Without a separator, head is the whole text and found is false.
struct split_result {
  string_view head;
  string_view tail;
  bool found = false;
};

constexpr split_result split_once(string_view text, char separator) noexcept {
  size_t at = text.find(separator);
  if (at == string_view::npos)
    return {text, string_view(), false};
  return {text.substr(0, at), text.substr(at + 1), true};
}

// How a bounded copy went: `copied` characters were written; `truncated`
// says that the source did not fit.
struct copy_result {
  size_t copied = 0;
  bool truncated = false;
};

// Copies `src` to the front of `dst` (no terminator), as much as fits.
constexpr copy_result copy_text(span<char> dst, string_view src) noexcept {
  size_t n = copy_prefix<char>(src.chars(), dst);
  return {n, n < src.size()};
}

// ---- integers -------------------------------------------------------------

// Parses all of `text` as an unsigned number in `base` (2..16; no sign, no
// prefix, no blanks). EINVAL: empty, a bad digit or a bad base. ERANGE: the
// value does not fit in 64 bits.
constexpr result<uint64_t> parse_u64(string_view text,
                                     unsigned base = 10) noexcept {
  if (text.empty() || base < 2 || base > 16)
    return failure{EINVAL};
  uint64_t value = 0;
  for (char c : text) {
    unsigned digit = 16;
    if (c >= '0' && c <= '9')
      digit = static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f')
      digit = static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      digit = static_cast<unsigned>(c - 'A' + 10);
    if (digit >= base)
      return failure{EINVAL};
    if (__builtin_mul_overflow(value, base, &value) ||
        __builtin_add_overflow(value, digit, &value))
      return failure{ERANGE};
  }
  return value;
}

// Parses all of `text` as a signed decimal with an optional leading '-' or
// '+'. Accepts the full range, INT64_MIN included.
constexpr result<int64_t> parse_i64(string_view text) noexcept {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text = text.substr(1);
  }
  result<uint64_t> magnitude = parse_u64(text);
  if (!magnitude)
    return failure{magnitude.error()};
  constexpr uint64_t max = std::numeric_limits<int64_t>::max();
  uint64_t m = magnitude.value();
  if (negative) {
    if (m > max + 1)
      return failure{ERANGE};
    // -(m) computed in unsigned arithmetic, then converted: well defined
    // for m == max + 1 (gives INT64_MIN) since C++20 conversions wrap.
    return static_cast<int64_t>(0 - m);
  }
  if (m > max)
    return failure{ERANGE};
  return static_cast<int64_t>(m);
}

// Writes `value` in decimal to the front of `out`; returns the number of
// characters. ERANGE (and nothing written) when `out` is too small.
constexpr result<size_t> format_u64(span<char> out, uint64_t value) noexcept {
  array<char, 20> digits{}; // UINT64_MAX has 20 decimal digits
  size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  if (n > out.size())
    return failure{ERANGE};
  for (size_t i = 0; i < n; ++i)
    out[i] = digits[n - 1 - i];
  return n;
}

constexpr result<size_t> format_i64(span<char> out, int64_t value) noexcept {
  if (value >= 0)
    return format_u64(out, static_cast<uint64_t>(value));
  if (out.empty())
    return failure{ERANGE};
  // Magnitude in unsigned arithmetic so that INT64_MIN does not overflow.
  uint64_t magnitude = 0 - static_cast<uint64_t>(value);
  result<size_t> digits = format_u64(out.subspan(1), magnitude);
  if (!digits)
    return digits;
  out[0] = '-';
  return digits.value() + 1;
}

// ---- fixed_string ---------------------------------------------------------

// Text in a fixed array of N chars: at most N - 1 characters plus a NUL, so
// c_str() is always terminated. An append that does not fit writes what
// fits, returns false and sets the sticky truncated() flag, so a caller can
// build a whole line and check once.
template <size_t N> class fixed_string {
  static_assert(N >= 1, "room for the terminator");

public:
  constexpr fixed_string() noexcept = default;
  constexpr explicit fixed_string(string_view text) noexcept { append(text); }

  static constexpr size_t capacity() noexcept { return N - 1; }
  constexpr size_t size() const noexcept { return length_; }
  constexpr bool empty() const noexcept { return length_ == 0; }
  constexpr bool truncated() const noexcept { return truncated_; }

  constexpr string_view view() const noexcept {
    return string_view(chars_.span().first(length_));
  }
  constexpr operator string_view() const noexcept { return view(); }
  // NUL-terminated, for libc calls that take a path or a C string.
  constexpr const char *c_str() const noexcept { return chars_.span().data(); }

  constexpr void clear() noexcept {
    length_ = 0;
    truncated_ = false;
    chars_[0] = '\0';
  }

  // Keeps the first `count` characters; traps when count > size().
  constexpr void keep_first(size_t count) noexcept {
    check(count <= length_);
    length_ = count;
    chars_[length_] = '\0';
  }

  constexpr bool append(string_view text) noexcept {
    copy_result r = copy_text(free_space(), text);
    grow(r.copied);
    return note(!r.truncated);
  }
  constexpr bool push_back(char c) noexcept {
    if (length_ == capacity())
      return note(false);
    chars_[length_] = c;
    grow(1);
    return true;
  }
  // Appends the number only if all its digits fit (a cut number would lie).
  constexpr bool append_u64(uint64_t value) noexcept {
    result<size_t> n = format_u64(free_space(), value);
    if (!n)
      return note(false);
    grow(n.value());
    return true;
  }
  constexpr bool append_i64(int64_t value) noexcept {
    result<size_t> n = format_i64(free_space(), value);
    if (!n)
      return note(false);
    grow(n.value());
    return true;
  }

private:
  constexpr span<char> free_space() noexcept {
    return chars_.span().subspan(length_, capacity() - length_);
  }
  constexpr void grow(size_t added) noexcept {
    length_ += added;
    chars_[length_] = '\0'; // length_ <= capacity() == N - 1
  }
  constexpr bool note(bool fitted) noexcept {
    if (!fitted)
      truncated_ = true;
    return fitted;
  }

  array<char, N> chars_{};
  size_t length_ = 0;
  bool truncated_ = false;
};

} // namespace kml
