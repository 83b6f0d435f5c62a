// EXPECT: KML-R019
// Found by the fifth review (an old hole) (snap and new accept). part() returns
// a span of the global g; IntoContainer follows only containers *given* to a
// call, so 's' watches nothing; grow() reallocates g -> heap-use-after-free.
// (03 is the NEW variant through an element copy, which snap did catch.)
#include <cstdio>
#include <span>
#include <vector>
std::vector<int> g{1, 2, 3};
std::span<int> part() { return std::span<int>(g); }
void grow() {
  for (int i = 0; i < 100; ++i)
    g.push_back(i);
}
int main() {
  std::span<int> s = part();
  // EXPECT-NEXT-LINE: KML-R019
  grow();
  std::printf("%d\n", s[0]);
  return 0;
}
