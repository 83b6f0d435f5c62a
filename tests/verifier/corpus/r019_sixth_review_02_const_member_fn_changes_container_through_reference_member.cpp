// EXPECT: KML-R019
// Found by the sixth review (a hole in the relaxations) (snap reports "calling
// 'grow'"). As 01, with a *const* member function and the object a parameter:
// `v` is a reference member, so a const member may still push_back on its
// referent. checkCall only treats non-const members as changing their object,
// and reachesOnlyWhatItIsGiven(grow) is true (Ref "can keep no reference"), so
// nothing is reported while x refers into d. ASan: heap-use-after-free at `x =
// 5`.
#include <vector>
struct Ref {
  std::vector<int> &v;
  void grow() const {
    for (int i = 0; i < 100; ++i)
      v.push_back(i);
  }
};
int use(const Ref &r, std::vector<int> &d) {
  int &x = d[0];
  // EXPECT-NEXT-LINE: KML-R019
  r.grow();
  x = 5;
  return x;
}
int main() {
  std::vector<int> data{1, 2, 3};
  Ref r{data};
  return use(r, data);
}
