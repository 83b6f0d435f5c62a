// EXPECT: KML-R019
// Found by the sixth review (an old hole) (snap accepts too). As 19 directly in
// the region: libraryMayCallBack() (and collectProgramOperators(), which
// records only record-typed parameters) ignore enums, so s.insert(E::b) on a
// local set is not seen to run the program's operator<, which reallocates g
// while x refers into it. ASan: heap-use-after-free at x = 5.
#include <set>
#include <vector>
std::vector<int> g{1, 2, 3};
enum class E { a, b };
bool operator<(E l, E r) {
  for (int i = 0; i < 100; ++i)
    g.push_back(i);
  return static_cast<int>(l) < static_cast<int>(r);
}
int main() {
  std::set<E> s{E::a};
  int &x = g[0];
  // EXPECT-NEXT-LINE: KML-R019
  s.insert(E::b);
  x = 5;
  return x;
}
