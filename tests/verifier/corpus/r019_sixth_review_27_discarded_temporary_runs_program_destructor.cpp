// EXPECT: KML-R019
// Found by the sixth review (a hole in the relaxations) (snap reports "calling
// 'make'"). make() counts as reaching only what it is given: `return P{1};` is
// aggregate initialisation (an InitListExpr, no CXXConstructExpr), so BodyScan
// never asks runsProgramCode(P). At the call the discarded result is a
// CXXBindTemporaryExpr, which neither BodyScan nor the region's
// checkHiddenCode() looks at (they see CXXConstructExpr, VarDecl and
// MaterializeTemporaryExpr only). ~P() reallocates g while x refers into it.
// ASan: heap-use-after-free at x = 5.
#include <vector>
std::vector<int> g{1, 2, 3};
struct P {
  int a;
  ~P() {
    for (int i = 0; i < 100; ++i)
      g.push_back(i);
  }
};
P make() { return P{1}; }
int main() {
  int &x = g[0];
  // EXPECT-NEXT-LINE: KML-R019
  make();
  x = 5;
  return x;
}
