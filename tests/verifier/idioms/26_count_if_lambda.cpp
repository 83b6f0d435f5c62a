// EXPECT: accept
// count_if with a lambda that captures by value.
#include <algorithm>
#include <vector>
int main() {
  const std::vector<int> v{1, 5, 8, 10};
  const int limit = 6;
  return static_cast<int>(
      std::ranges::count_if(v, [limit](int x) { return x > limit; }));
}
