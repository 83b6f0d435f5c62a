// EXPECT: KML-R019
// Found by the fifth review (a hole in the relaxations) (relaxation 1,
// isImmutable). cs is a const global std::vector<std::span<int>>: its *shape*
// is fixed, but its elements view the non-const global g. The range-for over
// cs[0] only finds cs (immutable -> never checked), so grow() reallocating g is
// allowed -> heap-use-after-free. snap rejects.
#include <cstdio>
#include <span>
#include <vector>
std::vector<int> g{1, 2, 3};
// EXPECT-NEXT-LINE: KML-R019
const std::vector<std::span<int>> cs{std::span<int>(g)};
void grow() {
  for (int i = 0; i < 100; ++i)
    g.push_back(i);
}
int main() {
  int sum = 0;
  for (int &x : cs[0]) {
    // EXPECT-NEXT-LINE: KML-R019
    grow();
    sum += x;
  }
  std::printf("%d\n", sum);
  return 0;
}
