// EXPECT: KML-R019
// Found by the sixth review (an old hole) (snap accepts too). As 38 with a free
// operator*(Tag) of the program's: VisitCXXOperatorCallExpr adds the object
// only for a watchable object or a *member* operator of the program's; unknown_
// is never asked for operator calls. ASan: heap-use-after-free at x = 5.
#include <vector>
std::vector<int> g{1, 2, 3};
struct Tag {};
int &operator*(Tag) { return g[0]; }
int main() {
  int &x = *Tag{};
  for (int i = 0; i < 100; ++i)
    // EXPECT-NEXT-LINE: KML-R019
    g.push_back(i);
  x = 5;
  return x;
}
