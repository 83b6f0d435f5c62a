#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <unistd.h>

#include "trap.hpp"

extern "C" {
int rt_c_sum(void);
int rt_c_read(size_t index);
int rt_c_sub(size_t off, size_t n);
size_t rt_c_copy(const char *text, size_t len, size_t room, int *truncated);
size_t rt_c_literal_length(void);
int rt_c_text_equal(void);
int rt_c_arg_length(int argc, char **argv, int i);
int rt_c_pipe_round_trip(int wfd, int rfd, size_t *got);
long rt_c_alloc_sum(size_t n);
int rt_c_alloc_read_past_end(size_t n);
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

TEST(RtC, LiteralsArgsAndIo) {
  EXPECT_EQ(rt_c_literal_length(), 5u);
  EXPECT_EQ(rt_c_text_equal(), 100);
  char a0[] = "prog";
  char a1[] = "--flag";
  char *argv[] = {a0, a1, nullptr};
  EXPECT_EQ(rt_c_arg_length(2, argv, 1), 6);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  size_t got = 0;
  EXPECT_EQ(rt_c_pipe_round_trip(fds[1], fds[0], &got), 0);
  EXPECT_EQ(got, 4u);
  ::close(fds[1]);
  EXPECT_EQ(rt_c_pipe_round_trip(fds[1], fds[0], &got), EBADF);
  ::close(fds[0]);
}

TEST(RtC, OwnedAllocation) {
  EXPECT_EQ(rt_c_alloc_sum(100), 4950);
  EXPECT_EQ(rt_c_alloc_sum(0), 0);
  EXPECT_EQ(rt_c_alloc_sum(SIZE_MAX / 2), -1); // n * sizeof(int) overflows
}

TEST(RtCDeath, AllocatedViewIsChecked) {
  EXPECT_TRAP(rt_c_alloc_read_past_end(4));
  EXPECT_TRAP(rt_c_alloc_read_past_end(0));
}

TEST(RtCDeath, BadArgIndexTraps) {
  char a0[] = "prog";
  char *argv[] = {a0, nullptr};
  EXPECT_TRAP(rt_c_arg_length(1, argv, 1));
  EXPECT_TRAP(rt_c_arg_length(1, argv, -1));
}

TEST(RtCDeath, OutOfRangeTraps) {
  EXPECT_TRAP(rt_c_read(4));
  EXPECT_TRAP(rt_c_sub(9, 0));
  EXPECT_TRAP(rt_c_sub(4, 5));
  EXPECT_TRAP(rt_c_sub(1, static_cast<size_t>(-1)));
  EXPECT_TRAP(rt_c_copy("x", 1, 0, nullptr)); // no room for the NUL
}

} // namespace
