// EXPECT: KML-R019
// Found by the sixth review (an old hole) (snap accepts too). rootVariable(r.v)
// walks through the MemberExpr to r although v is a reference member: the
// object reached is g, not a part of r. mayOverlap(r.v, g) then says "two
// different variables, r an own local" -> false, and r.v.push_back reallocating
// g is not seen. ASan: heap-use-after-free at x = 5. (Same root as 03, 17.)
#include <vector>
std::vector<int> g{1, 2, 3};
struct Ref {
  std::vector<int> &v;
};
int main() {
  Ref r{g};
  int &x = g[0];
  for (int i = 0; i < 100; ++i)
    // EXPECT-NEXT-LINE: KML-R019
    r.v.push_back(i);
  x = 5;
  return x;
}
