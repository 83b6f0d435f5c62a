// EXPECT: accept
// C++ spellings of bounded byte writes: std::min and std::size bound the
// length, std:: names reach the same libc functions.
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <unistd.h>

int copy(const char *src, std::size_t n) {
  char buf[32];
  std::memcpy(buf, src, std::min(n, sizeof buf));
  std::memset(buf, 0, std::size(buf));
  return buf[0];
}

long take(int fd) {
  unsigned char block[64];
  const std::size_t want = std::min<std::size_t>(48, sizeof block);
  return read(fd, block, want);
}
