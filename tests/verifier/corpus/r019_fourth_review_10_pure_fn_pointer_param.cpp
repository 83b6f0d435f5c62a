// EXPECT: KML-R019
// Found by the fourth review (a hole in a first cut of the relaxations)
// (relaxation 6). grow(std::vector<int>*) counts as 'reaches only what it is
// given' (a pointer to a type holding no reference is allowed). Given a pointer
// *variable* to the iterated global, the writable-argument check skips it (it
// only follows '&x'), so grow() reallocates g inside the range-for ->
// heap-use-after-free. pure function given a pointer variable to the global
// being iterated
#include <cstdio>
#include <vector>
std::vector<int> g{1, 2, 3};
void grow(std::vector<int> *p) {
  for (int i = 0; i < 100; ++i)
    p->push_back(i);
}
int main() {
  std::vector<int> *pg = &g;
  int sum = 0;
  for (int &x : g) {
    // EXPECT-NEXT-LINE: KML-R019
    grow(pg);
    sum += x;
  }
  std::printf("%d\n", sum);
  return 0;
}
