// EXPECT: KML-R011
// A reference to what std::max returns, while one argument is a temporary:
// it may be the temporary, gone at the end of the statement.
#include <algorithm>

static int next() { return 7; }

int biggest(int floor) {
  // EXPECT-NEXT-LINE: KML-R011
  const int &r = std::max(next(), floor);
  // EXPECT-NEXT-LINE: KML-R011
  const int &c = std::clamp(next(), 0, floor);
  // EXPECT-NEXT-LINE: KML-R011
  const int &n = std::min(std::max(next(), 1), floor);
  return r + c + n;
}
