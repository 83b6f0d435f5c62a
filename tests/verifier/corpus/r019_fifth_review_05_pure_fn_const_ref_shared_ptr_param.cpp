// EXPECT: KML-R019
// Found by the fifth review (a hole in the relaxations) (relaxation 5,
// harmlessParameter). 'const std::shared_ptr<std::vector<int>> &' is a const
// reference to a type holding no reference, so grow() 'reaches only what it is
// given'; but const applies to the pointer, not the pointee: p->push_back()
// reallocates *gs during the range-for. Same root as fourth_review_25, for
// parameters. snap rejects (calling grow).
#include <cstdio>
#include <memory>
#include <vector>
std::shared_ptr<std::vector<int>> gs = std::make_shared<std::vector<int>>(3, 1);
void grow(const std::shared_ptr<std::vector<int>> &p) {
  for (int i = 0; i < 100; ++i)
    p->push_back(i);
}
int main() {
  int sum = 0;
  for (int &x : *gs) {
    // EXPECT-NEXT-LINE: KML-R019
    grow(gs);
    sum += x;
  }
  std::printf("%d\n", sum);
  return 0;
}
