// EXPECT: KML-R019
// Found by the sixth review (an old hole) (snap accepts too). handsOver()
// trusts any function that reaches only what it is given not to keep its
// arguments' addresses -- but addr() *returns* &v. So v does not escape, the
// watch is ownLocal, and grow(p) (a pointer variable, not &v, so checkCall's
// "handed over" test skips it) reallocates v while x refers into it. Same shape
// as 04 (member returning this). ASan: heap-use-after-free at x = 5.
#include <vector>
std::vector<int> *addr(std::vector<int> &v) { return &v; }
void grow(std::vector<int> *p) {
  for (int i = 0; i < 100; ++i)
    p->push_back(i);
}
int main() {
  std::vector<int> v{1, 2, 3};
  std::vector<int> *p = addr(v);
  int &x = v[0];
  // EXPECT-NEXT-LINE: KML-R019
  grow(p);
  x = 5;
  return x;
}
