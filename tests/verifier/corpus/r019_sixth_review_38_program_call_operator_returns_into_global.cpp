// EXPECT: KML-R019
// Found by the sixth review (an old hole) (snap accepts too; escapes the new
// unknownResult). get() is the program's own operator() returning a reference
// into the global g. unknown_ is consulted only in VisitCXXMemberCallExpr and
// VisitCallExpr, which skips CXXOperatorCallExpr; VisitCXXOperatorCallExpr's
// OO_Call case looks only at lambdas' captures. x watches nothing; g.push_back
// reallocates. ASan: heap-use-after-free at x = 5.
#include <vector>
std::vector<int> g{1, 2, 3};
struct Getter {
  int &operator()() const { return g[0]; }
};
int main() {
  Getter get;
  int &x = get();
  for (int i = 0; i < 100; ++i)
    // EXPECT-NEXT-LINE: KML-R019
    g.push_back(i);
  x = 5;
  return x;
}
