// EXPECT: KML-R019
// Found by the fourth review (a hole in a first cut of the relaxations)
// (relaxation 6). std::ranges::for_each(one, grow_fp): the library call
// involves no program *type* (a function pointer type), and grow_fp is a
// constexpr global, so step() looks pure, yet the library calls grow(), which
// reallocates g during the range-for. library algorithm calling a program
// function through a constexpr pointer
#include <algorithm>
#include <cstdio>
#include <vector>
std::vector<int> g{1, 2, 3};
void grow(int) {
  for (int i = 0; i < 100; ++i)
    g.push_back(i);
}
constexpr void (*grow_fp)(int) = &grow;
void step() {
  std::vector<int> one{1};
  std::ranges::for_each(one, grow_fp);
}
int main() {
  int sum = 0;
  for (int &x : g) {
    // EXPECT-NEXT-LINE: KML-R019
    step();
    sum += x;
  }
  std::printf("%d\n", sum);
  return 0;
}
