// EXPECT: KML-R019
// Found by the fourth review (an old hole) (snap and new both accept). The
// watched-region scan looks only at CallExprs and move constructions: the
// user-provided destructor of a local, run at the end of its block inside the
// range-for, reallocates g -> heap-use-after-free.
// a program destructor run implicitly inside a watched region
#include <cstdio>
#include <vector>
std::vector<int> g{1, 2, 3};
struct Tok {
  int n;
  ~Tok() {
    for (int i = 0; i < 100; ++i)
      g.push_back(i);
  }
};
int main() {
  int sum = 0;
  for (int &x : g) {
    {
      // EXPECT-NEXT-LINE: KML-R019
      Tok t{1};
      sum += t.n;
    }
    sum += x;
  }
  std::printf("%d\n", sum);
  return 0;
}
