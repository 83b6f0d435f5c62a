// EXPECT: KML-R019
// Found by the sixth review (an old hole) (snap accepts too) — a bypass of the
// fix for fifth review 14. checkParameterKept()/refersToParameter() only sees a
// ParmVarDecl named directly on the right-hand side. Through a local (int *l =
// &x; gp = l;) or a local reference (int &r = x; gp = &r;): IntoContainer does
// not follow a local's initialiser into a parameter, refersToParameter() does
// not follow locals at all. At the caller keep(v[0]) is an own local's
// element given to own code (allowed). ASan: heap-use-after-free at *gp.
#include <vector>
int *gp;
void keep(int &x) {
  int *l = &x;
  // EXPECT-NEXT-LINE: KML-R019
  gp = l;
}
int main() {
  std::vector<int> v{1, 2, 3};
  keep(v[0]);
  v.resize(100);
  *gp = 5;
  return *gp;
}
