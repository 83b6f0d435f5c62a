// EXPECT: KML-R019
// Found by the fourth review (a hole in a first cut of the relaxations)
// (relaxation 6). 'Outer o;' calls Outer's implicit (not user-provided)
// constructor, which runs Inner's user-provided constructor that reallocates
// the global g. BodyScan only looks at the top-level constructor and in-class
// initialisers, not members'/bases' constructors. pure-looking function whose
// local's implicit ctor runs a member's user ctor
#include <cstdio>
#include <vector>
std::vector<int> g{1, 2, 3};
struct Inner {
  int n;
  Inner() : n(0) {
    for (int i = 0; i < 100; ++i)
      g.push_back(i);
  }
};
struct Outer {
  Inner in;
};
int make() {
  Outer o;
  return o.in.n;
}
int main() {
  int sum = 0;
  for (int &x : g) {
    // EXPECT-NEXT-LINE: KML-R019
    sum += make();
    sum += x;
  }
  std::printf("%d\n", sum);
  return 0;
}
