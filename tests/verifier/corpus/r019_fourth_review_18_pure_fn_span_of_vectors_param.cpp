// EXPECT: KML-R019
// Found by the fourth review (a hole in a first cut of the relaxations)
// (relaxation 6). Parameters that are views are admitted whatever they view:
// std::span<std::vector<int>> gives mutable access to the rows; grow(grid)
// reallocates grid[0] while the range-for walks it. The writable-argument check
// only looks at reference/pointer params. "pure" function with a view parameter
// (span of vectors) changes a row
#include <cstdio>
#include <span>
#include <vector>
std::vector<std::vector<int>> grid{{1, 2, 3}};
void grow(std::span<std::vector<int>> rows) {
  for (int i = 0; i < 100; ++i)
    rows[0].push_back(i);
}
int main() {
  int sum = 0;
  for (int &x : grid[0]) {
    // EXPECT-NEXT-LINE: KML-R019
    grow(grid);
    sum += x;
  }
  std::printf("%d\n", sum);
  return 0;
}
