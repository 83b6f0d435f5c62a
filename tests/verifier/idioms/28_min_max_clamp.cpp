// EXPECT: accept
// std::min, std::max and std::clamp by value.
#include <algorithm>
int main() {
  const int lo = 2;
  const int hi = 9;
  const int x = std::clamp(12, lo, hi);
  return std::max(x, std::min(lo, hi));
}
