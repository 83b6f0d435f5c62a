// EXPECT: KML-R019
// Found by the sixth review (a hole in the relaxations) (snap reports "calling
// 'grow'"). A member function of a class whose only member is a reference to a
// container counts as reaching only what it is given: canKeepReference(Ref)
// follows the reference member to std::vector<int>, which keeps no reference,
// so `this` is "harmless". But grow() reallocates the *referent* g, a global,
// while x refers into it. mayOverlap(r, g) is false (two different variables, r
// an own local not of reference type), and reachesOnlyWhatItIsGiven(grow) skips
// the "calling the program's own code" check. ASan: heap-use-after-free at `x =
// 5`.
#include <vector>
struct Ref {
  std::vector<int> &v;
  void grow() {
    for (int i = 0; i < 100; ++i)
      v.push_back(i);
  }
};
std::vector<int> g{1, 2, 3};
int main() {
  Ref r{g};
  int &x = g[0];
  // EXPECT-NEXT-LINE: KML-R019
  r.grow();
  x = 5;
  return x;
}
