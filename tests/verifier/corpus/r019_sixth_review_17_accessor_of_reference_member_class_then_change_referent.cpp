// EXPECT: KML-R019
// Found by the sixth review (an old hole) (snap accepts too). r.first() is the
// program's accessor, so IntoContainer watches its object r (an own local that
// does not escape: ownLocal). But first() returns into g, the referent of r's
// reference member: mayOverlap(g, r) asks typeContains(vector<int>, Ref) ->
// false, so g.push_back reallocating is not seen. ASan: heap-use-after-free at
// x = 5.
#include <vector>
std::vector<int> g{1, 2, 3};
struct Ref {
  std::vector<int> &v;
  int &first() { return v[0]; }
};
int main() {
  Ref r{g};
  int &x = r.first();
  for (int i = 0; i < 100; ++i)
    // EXPECT-NEXT-LINE: KML-R019
    g.push_back(i);
  x = 5;
  return x;
}
