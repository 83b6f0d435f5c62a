// EXPECT: KML-R019
// Found by the fifth review (an old hole) (snap and new accept). keep(v[0])
// stores the address of its reference parameter in a global (R011 does not
// follow parameters' referents; R019 lets an own local's element go to own
// code). v dies at the end of the block; *gp reads freed memory.
#include <cstdio>
#include <vector>
const int *gp = nullptr;
// EXPECT-NEXT-LINE: KML-R019
void keep(const int &x) { gp = &x; }
int main() {
  {
    std::vector<int> v{1, 2, 3};
    keep(v[0]);
  }
  std::printf("%d\n", *gp);
  return 0;
}
