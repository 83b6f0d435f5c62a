// EXPECT: KML-R019
// Found by the sixth review (a hole in the relaxations) (snap reports "calling
// 'count_both'"). involvesProgramType() looks for program *classes* only:
// std::set<E> with E a program enum is "the library on its own types", yet
// std::less<E> calls the program's free operator<(E, E) (found by ADL), which
// reallocates the global g. So count_both() counts as reaching only what it is
// given. ASan: heap-use-after-free at x = 5.
#include <set>
#include <vector>
std::vector<int> g{1, 2, 3};
enum class E { a, b };
bool operator<(E l, E r) {
  for (int i = 0; i < 100; ++i)
    g.push_back(i);
  return static_cast<int>(l) < static_cast<int>(r);
}
int count_both(E e) {
  std::set<E> s{E::a};
  s.insert(e);
  return static_cast<int>(s.size());
}
int main() {
  int &x = g[0];
  // EXPECT-NEXT-LINE: KML-R019
  int n = count_both(E::b);
  x = 5;
  return x + n;
}
