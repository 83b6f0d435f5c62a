// EXPECT: KML-R019
// Found by the fifth review (an old hole) (snap and new accept). t.reset() on a
// local std::optional<Tok> inside a range-for over the global g: a library
// member on an object that cannot hold g, so it passes; but it runs Tok's
// user-provided destructor, which reallocates g -> heap-use-after-free.
// checkHiddenCode (check 6) only sees declarations, temporaries and
// constructions, not destructors run by library members (reset, pop_back,
// erase, clear, assignment, std::exchange's returned temporary).
#include <cstdio>
#include <optional>
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
  std::optional<Tok> t;
  t.emplace(Tok{1});
  int sum = 0;
  for (int &x : g) {
    // EXPECT-NEXT-LINE: KML-R019
    t.reset();
    sum += x;
  }
  std::printf("%d\n", sum);
  return 0;
}
