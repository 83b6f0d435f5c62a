#include "kml/array.hpp"
#include "kml/span.hpp"
#include "trap.hpp"

namespace {

TEST(Span, DefaultIsEmpty) {
  kml::span<int> s;
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.size(), 0u);
  EXPECT_EQ(s.begin(), s.end());
}

TEST(Span, IndexesAWholeArray) {
  int raw[4] = {1, 2, 3, 4};
  kml::span<int> s(raw);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s.size_bytes(), 4 * sizeof(int));
  EXPECT_EQ(s[0], 1);
  EXPECT_EQ(s[3], 4);
  EXPECT_EQ(s.front(), 1);
  EXPECT_EQ(s.back(), 4);
  s[2] = 30;
  EXPECT_EQ(raw[2], 30);
}

TEST(Span, Subspans) {
  int raw[5] = {0, 1, 2, 3, 4};
  kml::span<int> s(raw);
  kml::span<int> mid = s.subspan(1, 3);
  ASSERT_EQ(mid.size(), 3u);
  EXPECT_EQ(mid[0], 1);
  EXPECT_EQ(mid[2], 3);
  EXPECT_EQ(s.subspan(2).size(), 3u);
  EXPECT_EQ(s.subspan(5).size(), 0u); // the empty tail is allowed
  EXPECT_EQ(s.subspan(5, 0).size(), 0u);
  EXPECT_EQ(s.first(2)[1], 1);
  EXPECT_EQ(s.last(2)[0], 3);
  EXPECT_EQ(s.first(0).size(), 0u);
  EXPECT_EQ(s.last(5).size(), 5u);
}

TEST(Span, IteratesInOrder) {
  int raw[3] = {5, 6, 7};
  int sum = 0;
  int count = 0;
  for (int v : kml::span<int>(raw)) {
    sum += v;
    ++count;
  }
  EXPECT_EQ(sum, 18);
  EXPECT_EQ(count, 3);
  for (int &v : kml::span<int>(raw))
    v = 0;
  EXPECT_EQ(raw[1], 0);
}

TEST(Span, ConvertsToConst) {
  int raw[2] = {1, 2};
  kml::span<int> s(raw);
  kml::span<const int> c = s;
  EXPECT_EQ(c[1], 2);
}

TEST(Span, CopyFillEqual) {
  int a[3] = {1, 2, 3};
  int b[4] = {};
  kml::copy<int>(kml::span<const int>(a), kml::span<int>(b));
  EXPECT_EQ(b[2], 3);
  EXPECT_EQ(b[3], 0);
  EXPECT_EQ(kml::copy_prefix<int>(kml::span<const int>(b), kml::span<int>(a)),
            3u);
  kml::fill<int>(kml::span<int>(b), 9);
  EXPECT_EQ(b[3], 9);
  int c[3] = {9, 9, 9};
  EXPECT_TRUE(kml::equal<int>(kml::span<int>(b).first(3), kml::span<int>(c)));
  EXPECT_FALSE(kml::equal<int>(kml::span<int>(b), kml::span<int>(c)));
}

TEST(SpanDeath, IndexPastEndTraps) {
  int raw[4] = {};
  kml::span<int> s(raw);
  EXPECT_TRAP(s[4] = 1);
  EXPECT_TRAP(s[static_cast<size_t>(-1)] = 1);
}

TEST(SpanDeath, EmptyFrontBackTrap) {
  kml::span<int> s;
  EXPECT_TRAP((void)s.front());
  EXPECT_TRAP((void)s.back());
}

TEST(SpanDeath, BadSubspansTrap) {
  int raw[4] = {};
  kml::span<int> s(raw);
  EXPECT_TRAP((void)s.subspan(5));
  EXPECT_TRAP((void)s.subspan(2, 3));
  // offset + count wraps around: must still be caught.
  EXPECT_TRAP((void)s.subspan(2, static_cast<size_t>(-1)));
  EXPECT_TRAP((void)s.first(5));
  EXPECT_TRAP((void)s.last(5));
}

TEST(SpanDeath, IteratorPastEndTraps) {
  int raw[2] = {};
  kml::span<int> s(raw);
  EXPECT_TRAP({
    auto it = s.end();
    (void)*it;
  });
  EXPECT_TRAP({
    auto it = s.begin();
    ++it;
    ++it;
    ++it;
    (void)*it;
  });
}

TEST(SpanDeath, CopyIntoShortSpanTraps) {
  int a[3] = {};
  int b[2] = {};
  EXPECT_TRAP(kml::copy<int>(kml::span<const int>(a), kml::span<int>(b)));
}

TEST(Array, AggregateAndChecked) {
  kml::array<int, 3> a{1, 2, 3};
  EXPECT_EQ(a.size(), 3u);
  EXPECT_EQ(a[2], 3);
  a[0] = 10;
  EXPECT_EQ(a.span()[0], 10);
  int sum = 0;
  for (int v : a)
    sum += v;
  EXPECT_EQ(sum, 15);
  a.fill(7);
  const kml::array<int, 3> &c = a;
  EXPECT_EQ(c[1], 7);
  EXPECT_EQ(c.span().size(), 3u);
}

TEST(Array, ZeroInitialisedWithBraces) {
  kml::array<char, 8> a{};
  for (char c : a)
    EXPECT_EQ(c, 0);
}

TEST(ArrayDeath, OutOfRangeTraps) {
  kml::array<int, 3> a{};
  EXPECT_TRAP(a[3] = 1);
  const kml::array<int, 3> &c = a;
  EXPECT_TRAP((void)c[3]);
  EXPECT_TRAP((void)a.span()[3]);
}

} // namespace
