// EXPECT: KML-R019
// Found by the fourth review (a hole in a first cut of the relaxations)
// (relaxation 1 in checkRebinding). 'p = &r' where r refers into a const local
// vector: not a rebinding any more; the vector dies at the end of the block, *p
// is read after
// -> heap-use-after-free. R011 does not follow addresses of heap elements.
#include <cstdio>
#include <vector>
int main() {
  const int *p = nullptr;
  {
    const std::vector<int> v{1, 2, 3};
    const int &r = v[0];
    // EXPECT-NEXT-LINE: KML-R019
    p = &r;
  }
  std::printf("%d\n", *p);
  return 0;
}
