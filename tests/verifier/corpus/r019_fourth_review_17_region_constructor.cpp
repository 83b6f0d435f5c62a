// EXPECT: KML-R019
// Found by the fourth review (an old hole) (snap and new both accept). A
// user-provided constructor of the program's own run inside a range-for over a
// global is not treated as a call of the program's own code (scan() only checks
// move constructors); it reallocates g -> heap-use-after-free. a program
// constructor run inside a watched region
#include <cstdio>
#include <vector>
std::vector<int> g{1, 2, 3};
struct Grower {
  int n;
  Grower() : n(1) {
    for (int i = 0; i < 100; ++i)
      g.push_back(i);
  }
};
int main() {
  int sum = 0;
  for (int &x : g) {
    // EXPECT-NEXT-LINE: KML-R019
    Grower gr;
    sum += gr.n + x;
  }
  std::printf("%d\n", sum);
  return 0;
}
