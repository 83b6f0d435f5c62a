// EXPECT: KML-R019
// Found by the fourth review (a hole in a first cut of the relaxations)
// (relaxation 6 in checkElementToOwnCode). set(pg, g[0]) with set 'pure': the
// element-to-own-code check returns early, and
// checkContainerAndReferenceTogether skips pointer arguments not written as
// '&x'. set() reallocates g then writes x -> heap-use-after-free write. pure
// function given a pointer to the container and a reference into it
#include <cstdio>
#include <vector>
std::vector<int> g{1, 2, 3};
void set(std::vector<int> *p, int &x) {
  for (int i = 0; i < 100; ++i)
    p->push_back(i);
  x = 42;
}
int main() {
  std::vector<int> *pg = &g;
  // EXPECT-NEXT-LINE: KML-R019
  set(pg, g[0]);
  std::printf("%d\n", g[0]);
  return 0;
}
