// EXPECT: KML-R019
// Found by the sixth review (a hole in the relaxations) (snap reports "calling
// 'quiet'"). __attribute__((cleanup(grow))) on a local calls grow(&guard) at
// scope exit. The attribute's function is not a DeclRefExpr in the body, so
// BodyScan never checks it, and VisitVarDecl only asks runsProgramCode(type).
// grow() reallocates the global g. (checkHiddenCode() misses it in a region
// too.) Refuse CleanupAttr, or treat its function as called. ASan:
// heap-use-after-free at x = 5.
#include <vector>
std::vector<int> g{1, 2, 3};
void grow(int *) {
  for (int i = 0; i < 100; ++i)
    g.push_back(i);
}
int quiet(int a) {
  // EXPECT-NEXT-LINE: KML-R019
  int guard __attribute__((cleanup(grow))) = a;
  return guard;
}
int main() {
  int &x = g[0];
  int r = quiet(1);
  x = 5;
  return x + r;
}
