// EXPECT: KML-R019
// Found by the fifth review (a hole in the relaxations) (relaxation 2,
// isTemporary in watch()). 'int &r = share()->at(0)': the only container found
// is the shared_ptr prvalue (at()'s object is a raw pointer), counted
// own-local, so calling grow() (which reallocates the shared *gs) is allowed; r
// is read after -> heap-use-after-free. snap rejects.
#include <cstdio>
#include <memory>
#include <vector>
std::shared_ptr<std::vector<int>> gs = std::make_shared<std::vector<int>>(3, 1);
std::shared_ptr<std::vector<int>> share() { return gs; }
void grow() {
  for (int i = 0; i < 100; ++i)
    gs->push_back(i);
}
int main() {
  int &r = share()->at(0);
  // EXPECT-NEXT-LINE: KML-R019
  grow();
  std::printf("%d\n", r);
  return 0;
}
