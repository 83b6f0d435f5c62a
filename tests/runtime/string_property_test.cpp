// Randomised cross-checks of the integer helpers against the standard
// library (std::from_chars / std::to_chars), on a fixed seed so failures
// reproduce.
#include <charconv>
#include <cstdint>
#include <random>
#include <system_error>

#include "kml/string.hpp"
#include "trap.hpp"

namespace {

// Random short strings over digits, signs and a few other characters, so
// that valid, invalid and overflowing inputs all appear.
kml::fixed_string<32> random_text(std::mt19937_64 &rng) {
  static const char alphabet[] = "0123456789999999-+ax ";
  kml::fixed_string<32> s;
  size_t length = rng() % 24;
  for (size_t i = 0; i < length; ++i)
    s.push_back(alphabet[rng() % (sizeof alphabet - 1)]);
  return s;
}

TEST(StringProperty, ParseU64AgreesWithFromChars) {
  std::mt19937_64 rng(1234);
  int valid = 0;
  int overflow = 0;
  for (int round = 0; round < 200000; ++round) {
    kml::fixed_string<32> s = random_text(rng);
    std::string_view text(s.c_str(), s.size());
    uint64_t want = 0;
    auto [end, ec] =
        std::from_chars(text.data(), text.data() + text.size(), want);
    bool whole = end == text.data() + text.size();
    kml::result<uint64_t> got = kml::parse_u64(s.view());
    // Both reject a sign for unsigned values and an empty string.
    if (ec == std::errc() && whole && !text.empty()) {
      ASSERT_TRUE(got.ok()) << text;
      ASSERT_EQ(got.value(), want) << text;
      ++valid;
    } else if (ec == std::errc::result_out_of_range && whole) {
      ASSERT_EQ(got.error(), ERANGE) << text;
      ++overflow;
    } else {
      ASSERT_FALSE(got.ok()) << text;
    }
  }
  // The generator must exercise every branch, or the test proves little.
  EXPECT_GT(valid, 1000);
  EXPECT_GT(overflow, 10);
}

TEST(StringProperty, ParseI64AgreesWithFromChars) {
  std::mt19937_64 rng(99);
  for (int round = 0; round < 200000; ++round) {
    kml::fixed_string<32> s = random_text(rng);
    std::string_view text(s.c_str(), s.size());
    // parse_i64 also takes a leading '+', which from_chars does not.
    std::string_view digits = text;
    if (!digits.empty() && digits[0] == '+')
      digits.remove_prefix(1);
    int64_t want = 0;
    auto [end, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), want);
    bool whole = end == digits.data() + digits.size();
    bool plus_minus = text.size() >= 2 && text[0] == '+' && text[1] == '-';
    kml::result<int64_t> got = kml::parse_i64(s.view());
    if (ec == std::errc() && whole && !plus_minus) {
      ASSERT_TRUE(got.ok()) << text;
      ASSERT_EQ(got.value(), want) << text;
    } else if (ec == std::errc::result_out_of_range && whole && !plus_minus) {
      ASSERT_EQ(got.error(), ERANGE) << text;
    } else {
      ASSERT_FALSE(got.ok()) << text;
    }
  }
}

TEST(StringProperty, FormatAgreesWithToChars) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 200000; ++round) {
    // Spread values over every magnitude, not just huge ones.
    auto value = static_cast<int64_t>(rng() >> (rng() % 64));
    if (rng() % 2) // negate in unsigned arithmetic: INT64_MIN stays put
      value = static_cast<int64_t>(0 - static_cast<uint64_t>(value));
    char want[24];
    auto [end, ec] = std::to_chars(want, want + sizeof want, value);
    ASSERT_EQ(ec, std::errc());
    auto want_size = static_cast<size_t>(end - want);
    kml::fixed_string<24> got;
    ASSERT_TRUE(got.append_i64(value));
    ASSERT_EQ(std::string_view(got.c_str(), got.size()),
              std::string_view(want, want_size));
    // One byte short never writes a partial number.
    char out[24] = {};
    kml::span<char> all(out);
    ASSERT_EQ(kml::format_i64(all.first(want_size - 1), value).error(), ERANGE);
    ASSERT_EQ(kml::format_i64(all.first(want_size), value).value(), want_size);
  }
}

} // namespace
