// EXPECT: accept
// The ranges algorithms take the container itself.
#include <algorithm>
#include <vector>
int main() {
  std::vector<int> v{4, 1, 3, 2};
  std::ranges::sort(v);
  std::ranges::reverse(v);
  return v.front();
}
