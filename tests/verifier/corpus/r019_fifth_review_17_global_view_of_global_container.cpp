// EXPECT: KML-R019
// Found by the fifth review (an old hole) (snap and new accept). gsp is a
// global std::span of the global g; 'int &r = gsp[0]' indexes a view (not
// watchable), so nothing is watched; grow() reallocates g ->
// heap-use-after-free.
#include <cstdio>
#include <span>
#include <vector>
std::vector<int> g{1, 2, 3};
// EXPECT-NEXT-LINE: KML-R019
const std::span<int> gsp(g);
void grow() {
  for (int i = 0; i < 100; ++i)
    g.push_back(i);
}
int main() {
  int &r = gsp[0];
  grow();
  std::printf("%d\n", r);
  return 0;
}
