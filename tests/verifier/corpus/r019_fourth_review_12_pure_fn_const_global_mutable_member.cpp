// EXPECT: KML-R019
// Found by the fourth review (a hole in a first cut of the relaxations)
// (relaxation 6). BodyScan admits a const global whose type holds no reference,
// but a mutable member of it can still be changed: grow() reallocates gh.v
// during the range-for. pure function reaching a global through a const global
// with a mutable member
#include <cstdio>
#include <vector>
struct H {
  mutable std::vector<int> v;
};
const H gh{{1, 2, 3}};
void grow() {
  for (int i = 0; i < 100; ++i)
    gh.v.push_back(i);
}
int main() {
  int sum = 0;
  for (int &x : gh.v) {
    // EXPECT-NEXT-LINE: KML-R019
    grow();
    sum += x;
  }
  std::printf("%d\n", sum);
  return 0;
}
