// EXPECT: KML-R017
// C++ shapes of a length past the destination.
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <unistd.h>

// std::min in int: a negative n is a huge size_t.
int copy(const char *src, int n) {
  char buf[32];
  // EXPECT-NEXT-LINE: KML-R017
  std::memcpy(buf, src, std::min(n, 32));
  return buf[0];
}

// A reference parameter's object is one T, whatever the caller has.
struct header {
  unsigned short kind;
  unsigned short length;
};
long take(int fd, header &h) {
  // EXPECT-NEXT-LINE: KML-R017
  return read(fd, &h, sizeof(header) * 2);
}
