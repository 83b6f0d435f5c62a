// EXPECT: KML-R019
// Found by the fifth review (an old hole) (snap and new accept). escapes()
// looks for '&v', reference declarations and by-reference lambda captures, not
// for v bound to a reference parameter: remember(v) stores &v in a global, so
// v is not 'own local'; grow() reallocates it while r refers into it ->
// heap-use-after-free.
#include <cstdio>
#include <vector>
std::vector<int> *gv = nullptr;
// EXPECT-NEXT-LINE: KML-R019
void remember(std::vector<int> &v) { gv = &v; }
void grow() {
  for (int i = 0; i < 100; ++i)
    gv->push_back(i);
}
int main() {
  std::vector<int> v{1, 2, 3};
  remember(v);
  int &r = v[0];
  // EXPECT-NEXT-LINE: KML-R019
  grow();
  std::printf("%d\n", r);
  return 0;
}
