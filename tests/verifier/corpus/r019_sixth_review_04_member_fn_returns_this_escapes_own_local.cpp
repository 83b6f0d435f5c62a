// EXPECT: KML-R019
// Found by the sixth review (an old hole) (snap accepts too; the new
// selfMayKeep path keeps it open). A member function that returns `this` hands
// the object's address out through its result, not by storing it. handsOver()
// asks reachesOnlyWhatItIsGiven(self) first (true: S keeps no reference, body
// touches only this), so s does not "escape"; the watch on s.v is ownLocal;
// grow(p) takes a pointer variable (not &s), which checkCall's "handed over to
// be changed" test never looks at. ASan: heap-use-after-free at `x = 5`.
#include <vector>
struct S {
  std::vector<int> v{1, 2, 3};
  S *self() { return this; }
};
void grow(S *p) {
  for (int i = 0; i < 100; ++i)
    p->v.push_back(i);
}
int main() {
  S s;
  S *p = s.self();
  int &x = s.v[0];
  // EXPECT-NEXT-LINE: KML-R019
  grow(p);
  x = 5;
  return x;
}
