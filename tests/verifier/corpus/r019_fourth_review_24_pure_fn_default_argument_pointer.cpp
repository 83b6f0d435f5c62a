// EXPECT: KML-R019
// Found by the fourth review (a hole in a first cut of the relaxations)
// (relaxation 6). grow(std::vector<int> *p = &g) is 'pure' (BodyScan never sees
// the default argument, which is evaluated in the caller) and the
// writable-argument check does not look through CXXDefaultArgExpr; grow()
// reallocates g in the range-for.
#include <cstdio>
#include <vector>
std::vector<int> g{1, 2, 3};
void grow(std::vector<int> *p = &g) {
  for (int i = 0; i < 100; ++i)
    p->push_back(i);
}
int main() {
  int sum = 0;
  for (int &x : g) {
    // EXPECT-NEXT-LINE: KML-R019
    grow();
    sum += x;
  }
  std::printf("%d\n", sum);
  return 0;
}
