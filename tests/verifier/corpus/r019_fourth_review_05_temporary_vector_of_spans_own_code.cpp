// EXPECT: KML-R019
// Found by the fourth review (a hole in a first cut of the relaxations)
// (relaxation 3, isTemporary in watch()). The range is a temporary
// vector<span<int>> whose elements view the global g. The temporary counts as
// own-local, so calling grow() (which reallocates g) in the body is allowed;
// s[0] reads freed memory.
#include <cstdio>
#include <span>
#include <vector>
std::vector<int> g{1, 2, 3};
std::vector<std::span<int>> parts() { return {std::span<int>(g)}; }
void grow() {
  for (int i = 0; i < 100; ++i)
    g.push_back(i);
}
int main() {
  int sum = 0;
  for (std::span<int> s : parts()) {
    // EXPECT-NEXT-LINE: KML-R019
    grow();
    sum += s[0];
  }
  std::printf("%d\n", sum);
  return 0;
}
