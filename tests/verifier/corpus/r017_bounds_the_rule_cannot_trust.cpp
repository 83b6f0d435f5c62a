// EXPECT: KML-R017
// Found by review: bounds and sizes that looked proved. Each was accepted
// and overflowed under ASan.
#include <cstddef>
#include <cstring>
#include <span>
#include <vector>

// Two calls of a method that changes its object are two values.
struct Len {
  std::size_t calls = 0;
  std::size_t get() { return ++calls == 1 ? 1 : 4096; }
};
int method_twice() {
  char buf[16];
  Len n;
  // EXPECT-NEXT-LINE: KML-R017
  std::memset(buf, 'A', n.get() < sizeof buf ? n.get() : sizeof buf);
  return buf[0];
}

// The program's own strnlen proves nothing.
std::size_t strnlen(const char *, int n) { return std::size_t(n) * 1000; }
int own_strnlen() {
  char buf[16];
  // EXPECT-NEXT-LINE: KML-R017
  std::memset(buf, 'A', strnlen("x", 16));
  return buf[0];
}

// data() and size() are read at different times: the middle argument
// resizes the vector in between.
static const char *grow(std::vector<char> &v, const char *src) {
  v.resize(4096);
  return src;
}
int resized_between(const char *src) {
  std::vector<char> v(8);
  // EXPECT-NEXT-LINE: KML-R017
  std::memcpy(v.data(), grow(v, src), v.size());
  return v[0];
}

// A length with a side effect is not the value its bound was read from.
int incremented(const char *src, std::size_t n) {
  char buf[16];
  // EXPECT-NEXT-LINE: KML-R017
  std::memcpy(buf, src, n++ < sizeof buf ? n : sizeof buf);
  return buf[0];
}

// A pointer another call returns may point past an end.
struct Big {
  char b[64];
};
Big *somewhere() {
  static Big one;
  return &one;
}
void through_a_call() {
  // EXPECT-NEXT-LINE: KML-R017
  std::memset(somewhere(), 0x41, sizeof(Big));
}
