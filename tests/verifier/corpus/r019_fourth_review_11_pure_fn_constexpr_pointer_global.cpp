// EXPECT: KML-R019
// Found by the fourth review (a hole in a first cut of the relaxations)
// (relaxation 6). BodyScan admits any constexpr global; 'constexpr
// std::vector<int> *gp = &g' lets a 'pure' function reach and reallocate g
// during the range-for. pure function reaching a global through a constexpr
// pointer
#include <cstdio>
#include <vector>
std::vector<int> g{1, 2, 3};
constexpr std::vector<int> *gp = &g;
void grow() {
  for (int i = 0; i < 100; ++i)
    gp->push_back(i);
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
