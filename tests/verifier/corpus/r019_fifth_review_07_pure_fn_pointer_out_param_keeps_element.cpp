// EXPECT: KML-R019
// Found by the fifth review (a hole in the relaxations) (relaxation 5,
// harmlessParameter + checkElementToOwnCode early return). 'int *&out' is a
// reference to a pointer to int: harmlessParameter only looks at the pointee
// (int). keep() is thus 'pure', so checkElementToOwnCode returns early, and
// checkContainerAndReferenceTogether sees no overlap between p and g. keep()
// stores &g[0] into main's p, which nothing watches; grow() reallocates g and
// *p reads freed memory. (Same with std::string_view& / std::span<int>&
// out-params, which harmlessParameter admits as views.) snap rejects ('keep' is
// given a reference...).
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>
std::vector<int> g{1, 2, 3};
void grow() {
  for (int i = 0; i < 100; ++i)
    g.push_back(i);
}
// EXPECT-NEXT-LINE: KML-R019
void keep(int *&out, int *in) { out = in; }
int main() {
  int *p = nullptr;
  // EXPECT-NEXT-LINE: KML-R019
  keep(p, &g[0]);
  grow();
  std::printf("%d\n", *p);
  return 0;
}
