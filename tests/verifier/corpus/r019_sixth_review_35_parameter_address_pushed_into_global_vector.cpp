// EXPECT: KML-R019
// Found by the sixth review (an old hole) (snap accepts too) -- the fifth
// review 14 shape through push_back instead of assignment. checkParameterKept()
// runs only from checkRebinding(); checkStoredViews() reports only when
// containersIn(arg) is non-empty, and a parameter (&x) refers into nothing it
// can name. At the caller keep(v[0]) gives an own local's element to own code
// (allowed). ASan: heap-use-after-free at *gptrs.at(0).
#include <vector>
std::vector<int *> gptrs;
// EXPECT-NEXT-LINE: KML-R019
void keep(int &x) { gptrs.push_back(&x); }
int main() {
  {
    std::vector<int> v{1, 2, 3};
    keep(v[0]);
  }
  return *gptrs.at(0);
}
