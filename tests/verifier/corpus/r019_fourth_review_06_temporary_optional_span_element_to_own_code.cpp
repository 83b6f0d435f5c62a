// EXPECT: KML-R019
// Found by the fourth review (a hole in a first cut of the relaxations)
// (relaxation 3, isTemporary in checkElementToOwnCode). bump(all()->front()):
// the container found is the temporary optional<span>, which is skipped as
// own-local, but the element lives in the global g, which bump() reallocates
// before writing x -> heap-use-after-free.
#include <cstdio>
#include <optional>
#include <span>
#include <vector>
std::vector<int> g{1, 2, 3};
std::optional<std::span<int>> all() { return std::span<int>(g); }
void bump(int &x) {
  for (int i = 0; i < 100; ++i)
    g.push_back(i);
  x = 42;
}
int main() {
  // EXPECT-NEXT-LINE: KML-R019
  bump(all()->front());
  std::printf("%d\n", g[0]);
  return 0;
}
