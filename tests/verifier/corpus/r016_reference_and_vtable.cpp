// EXPECT: KML-R016
// A reference member and a vtable pointer are pointers too.
#include <cstring>

struct View {
  const int &ref;
};

struct Shape {
  virtual ~Shape() = default;
  virtual int area() const { return 0; }
  int sides = 0;
};

void clear(View &v, Shape &s, const unsigned char (&bytes)[8]) {
  // EXPECT-NEXT-LINE: KML-R016
  std::memcpy(&v, bytes, sizeof v);
  // EXPECT-NEXT-LINE: KML-R016
  std::memset(&s, 0, sizeof s);
}
