// EXPECT: KML-R019
// Found by the fourth review (a hole in a first cut of the relaxations)
// (relaxation 6). A const global std::shared_ptr<std::vector<int>> passes
// BodyScan
// ('const and holds no reference'), but const applies to the pointer, not the
// pointee: grow() reallocates *gs during the range-for over it.
#include <cstdio>
#include <memory>
#include <vector>
const std::shared_ptr<std::vector<int>> gs =
    std::make_shared<std::vector<int>>(3, 1);
void grow() {
  for (int i = 0; i < 100; ++i)
    gs->push_back(i);
}
int main() {
  int sum = 0;
  for (int &x : *gs) {
    // EXPECT-NEXT-LINE: KML-R019
    grow();
    sum += x;
  }
  std::printf("%d\n", sum);
  return 0;
}
