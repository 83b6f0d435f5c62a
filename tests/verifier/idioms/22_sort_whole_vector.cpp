// EXPECT: accept
// Sort a whole vector with std::sort over begin() and end().
#include <algorithm>
#include <vector>
int main() {
  std::vector<int> v{4, 1, 3, 2};
  std::sort(v.begin(), v.end());
  return v[0] * 1000 + v[3];
}
