// EXPECT: KML-R019
// Found by the fourth review (a hole in a first cut of the relaxations)
// (relaxation 2, ownerOfPart in rootVariable). vv[0] now counts as a part of
// the own local vv, so 's' watching vv[0] is own-local and grow() may be
// called; escapes() only looks for
// '&', reference bindings and lambda captures, not vv.data() (or a span of vv).
// grow(first) reallocates vv[0] while s views it -> heap-use-after-free. a
// local's element is "own local", but the local escaped through data()
#include <cstdio>
#include <span>
#include <vector>
int calls = 0;
void grow(std::vector<int> *row) {
  ++calls;
  for (int i = 0; i < 100; ++i)
    row->push_back(i);
}
int main() {
  std::vector<std::vector<int>> vv{{1, 2, 3}};
  std::vector<int> *first = vv.data();
  std::span<int> s = vv[0];
  // EXPECT-NEXT-LINE: KML-R019
  grow(first);
  std::printf("%d %d\n", s[0], calls);
  return 0;
}
