#include <cstddef>

#include "trap.hpp"

extern "C" {
int rt_c_sum(void);
int rt_c_read(size_t index);
int rt_c_sub(size_t off, size_t n);
size_t rt_c_copy(const char *text, size_t len, size_t room, int *truncated);
}

namespace {

TEST(RtC, CheckedAccessInBounds) {
  EXPECT_EQ(rt_c_sum(), 10 * 100 + 3 * 10 + 2);
  EXPECT_EQ(rt_c_read(3), 0);
  EXPECT_EQ(rt_c_sub(2, 6), 6);
  EXPECT_EQ(rt_c_sub(8, 0), 0);
}

TEST(RtC, CopyReportsTruncation) {
  int truncated = -1;
  EXPECT_EQ(rt_c_copy("abc", 3, 4, &truncated), 3u);
  EXPECT_EQ(truncated, 0);
  EXPECT_EQ(rt_c_copy("abcdef", 6, 4, &truncated), 3u);
  EXPECT_EQ(truncated, 1);
}

TEST(RtCDeath, OutOfRangeTraps) {
  EXPECT_TRAP(rt_c_read(4));
  EXPECT_TRAP(rt_c_sub(9, 0));
  EXPECT_TRAP(rt_c_sub(4, 5));
  EXPECT_TRAP(rt_c_sub(1, static_cast<size_t>(-1)));
  EXPECT_TRAP(rt_c_copy("x", 1, 0, nullptr)); // no room for the NUL
}

} // namespace
