// EXPECT: KML-R019
// Found by the fourth review (a hole in a first cut of the relaxations)
// (relaxation 6). use(Tok t) is 'pure', but its by-value parameter's
// user-provided destructor reallocates g: BodyScan only scans the body, never
// the parameters' destructors (and the region scan never looks at destructors,
// see 16). by-value parameter with a program destructor: params are not scanned
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
int use(Tok t) { return t.n; }
int main() {
  int sum = 0;
  for (int &x : g) {
    // EXPECT-NEXT-LINE: KML-R019
    sum += use(Tok{1});
    sum += x;
  }
  std::printf("%d\n", sum);
  return 0;
}
