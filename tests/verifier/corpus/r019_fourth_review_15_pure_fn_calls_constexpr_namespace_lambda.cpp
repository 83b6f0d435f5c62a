// EXPECT: KML-R019
// Found by the fourth review (a hole in a first cut of the relaxations)
// (relaxation 6). checkFunction() skips lambda call operators ('looked at where
// they are written') but a constexpr lambda written at namespace scope is never
// scanned; the variable is constexpr so its DeclRef is admitted. step() thus
// reallocates g in the range-for. constexpr lambda at namespace scope called
// from a "pure" function
#include <cstdio>
#include <vector>
std::vector<int> g{1, 2, 3};
constexpr auto grow = [] {
  for (int i = 0; i < 100; ++i)
    g.push_back(i);
};
void step() { grow(); }
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
