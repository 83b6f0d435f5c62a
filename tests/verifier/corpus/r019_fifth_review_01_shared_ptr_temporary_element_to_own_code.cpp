// EXPECT: KML-R019
// Found by the fifth review (a hole in the relaxations) (relaxation 2,
// isTemporary). share() returns a *copy* of the global shared_ptr gs. The
// prvalue std::shared_ptr<std::vector<int>> holds no reference by
// mayHoldReference (Owner -> its vector<int> argument), so isTemporary() counts
// it as own-local and checkElementToOwnCode skips it; but a shared_ptr shares
// its pointee: bump() reallocates *gs and writes x -> heap-use-after-free. snap
// rejects (R019 'bump' is given a reference...), new accepts.
#include <cstdio>
#include <memory>
#include <vector>
std::shared_ptr<std::vector<int>> gs = std::make_shared<std::vector<int>>(3, 1);
std::shared_ptr<std::vector<int>> share() { return gs; }
void bump(int &x) {
  for (int i = 0; i < 100; ++i)
    gs->push_back(i);
  x = 42;
}
int main() {
  // EXPECT-NEXT-LINE: KML-R019
  bump(share()->front());
  std::printf("%d\n", (*gs)[0]);
  return 0;
}
