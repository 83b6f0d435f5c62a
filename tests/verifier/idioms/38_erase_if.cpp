// EXPECT: accept
// std::erase_if removes by predicate without iterators.
#include <vector>
int main() {
  std::vector<int> v{1, 2, 3, 4, 5, 6};
  std::erase_if(v, [](int x) { return x % 2 == 0; });
  return static_cast<int>(v.size());
}
