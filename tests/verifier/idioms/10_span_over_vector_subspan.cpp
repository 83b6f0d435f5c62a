// EXPECT: accept
// subspan() of a span over a vector: the library checks offset and count.
#include <span>
#include <vector>
int main() {
  std::vector<int> v{5, 6, 7, 8};
  std::span<int> all(v);
  std::span<int> tail = all.subspan(2);
  tail[0] = 1;
  return v[2] + static_cast<int>(tail.size());
}
