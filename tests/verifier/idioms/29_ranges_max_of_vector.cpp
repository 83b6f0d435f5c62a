// EXPECT: accept
// The largest element by value, not by iterator.
#include <algorithm>
#include <vector>
int main() {
  const std::vector<int> v{3, 9, 4};
  return std::ranges::max(v);
}
