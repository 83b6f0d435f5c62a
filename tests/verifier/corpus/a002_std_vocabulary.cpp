// EXPECT: accept
// Near miss: allowlisted std vocabulary functions.
#include <algorithm>
#include <utility>

int pick(int a, int b) {
  int lo = std::min(a, b);
  int hi = std::max(a, b);
  std::swap(lo, hi);
  int moved = std::move(lo);
  return moved + hi;
}
