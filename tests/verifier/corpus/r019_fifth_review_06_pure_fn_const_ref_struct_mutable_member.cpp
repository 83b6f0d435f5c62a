// EXPECT: KML-R019
// Found by the fifth review (a hole in the relaxations) (relaxation 5,
// harmlessParameter). 'const S &' where S has a 'mutable std::vector<int>': the
// const-ref case only asks !mayHoldReference(S), not holdsContainer/mutable, so
// grow() is 'pure' and reallocates gs.v through the const reference during the
// range-for. snap rejects.
#include <cstdio>
#include <vector>
struct S {
  mutable std::vector<int> v;
};
S gs{{1, 2, 3}};
void grow(const S &s) {
  for (int i = 0; i < 100; ++i)
    s.v.push_back(i);
}
int main() {
  int sum = 0;
  for (int &x : gs.v) {
    // EXPECT-NEXT-LINE: KML-R019
    grow(gs);
    sum += x;
  }
  std::printf("%d\n", sum);
  return 0;
}
