// EXPECT: KML-R019
// Found by the sixth review (a hole in the relaxations) (snap reports "calling
// 'grow'"). A static data member named through a member access (t.g, this->g)
// is a MemberExpr whose member is a VarDecl: BodyScan::VisitMemberExpr only
// looks at FunctionDecl members, and VisitDeclRefExpr (which refuses globals)
// never sees it. harmlessParameter (const T&) ignores static members (fields()
// only), so grow() counts as reaching only what it is given, while it
// reallocates the global T::g that x refers into. ASan: heap-use-after-free at
// x = 5.
#include <vector>
struct T {
  int n;
  static std::vector<int> g;
};
std::vector<int> T::g{1, 2, 3};
void grow(const T &t) {
  for (int i = 0; i < 100; ++i)
    t.g.push_back(i);
}
int main() {
  T t{0};
  int &x = T::g[0];
  // EXPECT-NEXT-LINE: KML-R019
  grow(t);
  x = 5;
  return x;
}
