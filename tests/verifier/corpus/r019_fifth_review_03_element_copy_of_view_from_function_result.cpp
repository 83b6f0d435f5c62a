// EXPECT: KML-R019
// Found by the fifth review (a hole in the relaxations) (relaxation 3, element
// copy). 'std::span<int> s = parts()[0]' is a copy of a view element, so the
// access is skipped; nothing else tracks what the element views (the global g,
// through a function result). grow() reallocates g; s[0] reads freed memory.
// snap rejects (watched parts()'s result). Same with a global
// std::vector<std::string_view> of a global string.
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
  // EXPECT-NEXT-LINE: KML-R019
  std::span<int> s = parts()[0];
  // EXPECT-NEXT-LINE: KML-R019
  grow();
  std::printf("%d\n", s[0]);
  return 0;
}
