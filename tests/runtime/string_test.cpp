#include <cstdint>
#include <limits>

#include "kml/string.hpp"
#include "trap.hpp"

namespace {

using kml::string_view;

TEST(StringView, FromLiteralStopsAtNul) {
  string_view s("hello");
  EXPECT_EQ(s.size(), 5u);
  EXPECT_EQ(s[4], 'o');
  char unterminated[3] = {'a', 'b', 'c'};
  EXPECT_EQ(string_view(unterminated).size(), 3u);
  char early[8] = {'x', 'y', '\0'};
  EXPECT_EQ(string_view(early).size(), 2u);
}

TEST(StringView, SubstrFindTrim) {
  string_view s("  GET key  \r");
  string_view t = s.trim();
  EXPECT_TRUE(t == string_view("GET key"));
  EXPECT_EQ(t.find(' '), 3u);
  EXPECT_EQ(t.find('z'), string_view::npos);
  EXPECT_EQ(t.find('e', 2), 5u);
  EXPECT_TRUE(t.substr(4) == string_view("key"));
  EXPECT_TRUE(t.substr(4, 100) == string_view("key"));
  EXPECT_TRUE(t.substr(7).empty());
  EXPECT_TRUE(t.starts_with("GET"));
  EXPECT_FALSE(t.starts_with("GET key and more"));
  EXPECT_TRUE(string_view("   ").trim().empty());
}

TEST(StringView, SplitOnce) {
  auto r = kml::split_once("SET a b c", ' ');
  EXPECT_TRUE(r.found);
  EXPECT_TRUE(r.head == string_view("SET"));
  EXPECT_TRUE(r.tail == string_view("a b c"));
  auto none = kml::split_once("PING", ' ');
  EXPECT_FALSE(none.found);
  EXPECT_TRUE(none.head == string_view("PING"));
  EXPECT_TRUE(none.tail.empty());
}

TEST(StringViewDeath, OutOfRangeTraps) {
  string_view s("abc");
  EXPECT_TRAP((void)s[3]);
  EXPECT_TRAP((void)s.substr(4));
}

TEST(CopyText, ReportsTruncation) {
  char out[4] = {};
  auto ok = kml::copy_text(kml::span<char>(out), "abc");
  EXPECT_EQ(ok.copied, 3u);
  EXPECT_FALSE(ok.truncated);
  auto cut = kml::copy_text(kml::span<char>(out), "abcdef");
  EXPECT_EQ(cut.copied, 4u);
  EXPECT_TRUE(cut.truncated);
  EXPECT_EQ(out[3], 'd');
}

TEST(FixedString, AppendsAndTerminates) {
  kml::fixed_string<16> s;
  EXPECT_EQ(s.capacity(), 15u);
  EXPECT_TRUE(s.append("value="));
  EXPECT_TRUE(s.append_i64(-42));
  EXPECT_TRUE(s.push_back('!'));
  EXPECT_TRUE(s.view() == string_view("value=-42!"));
  EXPECT_STREQ(s.c_str(), "value=-42!");
  EXPECT_FALSE(s.truncated());
  s.clear();
  EXPECT_TRUE(s.empty());
  EXPECT_STREQ(s.c_str(), "");
}

TEST(FixedString, TruncationIsReportedAndSticky) {
  kml::fixed_string<6> s; // 5 chars + NUL
  EXPECT_FALSE(s.append("abcdefgh"));
  EXPECT_TRUE(s.truncated());
  EXPECT_EQ(s.size(), 5u);
  EXPECT_STREQ(s.c_str(), "abcde");
  EXPECT_FALSE(s.push_back('x'));
  EXPECT_TRUE(s.append(""));  // nothing to add still fits...
  EXPECT_TRUE(s.truncated()); // ...but the flag stays
}

TEST(FixedString, NumbersAreAllOrNothing) {
  kml::fixed_string<5> s; // 4 chars
  EXPECT_TRUE(s.append("ab"));
  EXPECT_FALSE(s.append_u64(12345));
  EXPECT_STREQ(s.c_str(), "ab"); // no partial number
  EXPECT_TRUE(s.append_u64(12));
  EXPECT_STREQ(s.c_str(), "ab12");
}

TEST(FixedString, KeepFirst) {
  kml::fixed_string<8> s("abcdef");
  s.keep_first(3);
  EXPECT_STREQ(s.c_str(), "abc");
  s.keep_first(3);
  EXPECT_EQ(s.size(), 3u);
}

TEST(FixedStringDeath, KeepFirstPastEndTraps) {
  kml::fixed_string<8> s("abc");
  EXPECT_TRAP(s.keep_first(4));
}

TEST(FixedString, OneByteHoldsOnlyTheTerminator) {
  kml::fixed_string<1> s;
  EXPECT_EQ(s.capacity(), 0u);
  EXPECT_FALSE(s.push_back('a'));
  EXPECT_FALSE(s.append("a"));
  EXPECT_STREQ(s.c_str(), "");
}

TEST(Parse, Unsigned) {
  EXPECT_EQ(kml::parse_u64("0").value(), 0u);
  EXPECT_EQ(kml::parse_u64("18446744073709551615").value(), UINT64_MAX);
  EXPECT_EQ(kml::parse_u64("18446744073709551616").error(), ERANGE);
  EXPECT_EQ(kml::parse_u64("99999999999999999999999").error(), ERANGE);
  EXPECT_EQ(kml::parse_u64("ff", 16).value(), 255u);
  EXPECT_EQ(kml::parse_u64("FFFFFFFFFFFFFFFF", 16).value(), UINT64_MAX);
  EXPECT_EQ(kml::parse_u64("10000000000000000", 16).error(), ERANGE);
  EXPECT_EQ(kml::parse_u64("").error(), EINVAL);
  EXPECT_EQ(kml::parse_u64("12a").error(), EINVAL);
  EXPECT_EQ(kml::parse_u64("-1").error(), EINVAL);
  EXPECT_EQ(kml::parse_u64(" 1").error(), EINVAL);
  EXPECT_EQ(kml::parse_u64("2", 2).error(), EINVAL);
  EXPECT_EQ(kml::parse_u64("1", 17).error(), EINVAL);
}

TEST(Parse, Signed) {
  EXPECT_EQ(kml::parse_i64("-1").value(), -1);
  EXPECT_EQ(kml::parse_i64("+7").value(), 7);
  EXPECT_EQ(kml::parse_i64("9223372036854775807").value(), INT64_MAX);
  EXPECT_EQ(kml::parse_i64("-9223372036854775808").value(), INT64_MIN);
  EXPECT_EQ(kml::parse_i64("9223372036854775808").error(), ERANGE);
  EXPECT_EQ(kml::parse_i64("-9223372036854775809").error(), ERANGE);
  EXPECT_EQ(kml::parse_i64("-").error(), EINVAL);
  EXPECT_EQ(kml::parse_i64("").error(), EINVAL);
  EXPECT_EQ(kml::parse_i64("--1").error(), EINVAL);
}

TEST(ParseDeath, ValueOfFailureTraps) {
  EXPECT_TRAP((void)kml::parse_u64("x").value());
}

TEST(Format, ExactFitAndTooSmall) {
  char out[20] = {};
  kml::span<char> s(out);
  auto n = kml::format_u64(s, UINT64_MAX);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n.value(), 20u);
  EXPECT_TRUE(string_view(s.first(20)) == string_view("18446744073709551615"));
  EXPECT_EQ(kml::format_u64(s.first(19), UINT64_MAX).error(), ERANGE);
  EXPECT_EQ(kml::format_u64(s.first(1), 0).value(), 1u);
  EXPECT_EQ(out[0], '0');
  EXPECT_EQ(kml::format_u64(s.first(0), 0).error(), ERANGE);

  auto m = kml::format_i64(s, INT64_MIN);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(string_view(s.first(m.value())) ==
              string_view("-9223372036854775808"));
  EXPECT_EQ(kml::format_i64(s.first(19), INT64_MIN).error(), ERANGE);
  EXPECT_EQ(kml::format_i64(s.first(0), -1).error(), ERANGE);
  EXPECT_EQ(kml::format_i64(s.first(2), -5).value(), 2u);
}

TEST(Format, RoundTrips) {
  const int64_t samples[] = {0,   1,         -1,        10,
                             -10, 123456789, INT64_MAX, INT64_MIN};
  for (int64_t v : samples) {
    kml::fixed_string<32> s;
    ASSERT_TRUE(s.append_i64(v));
    EXPECT_EQ(kml::parse_i64(s.view()).value(), v);
  }
}

TEST(Result, ValueOrAndErrors) {
  kml::result<int> good(3);
  kml::result<int> bad(kml::failure{EIO});
  EXPECT_TRUE(good.ok());
  EXPECT_EQ(good.error(), 0);
  EXPECT_EQ(bad.error(), EIO);
  EXPECT_EQ(bad.value_or(9), 9);
  EXPECT_EQ(good.value_or(9), 3);
  kml::result<int> zero(kml::failure{0});
  EXPECT_FALSE(zero.ok()); // a failure is a failure even with code 0
}

} // namespace
