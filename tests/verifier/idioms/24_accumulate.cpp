// EXPECT: accept
// std::accumulate over a whole vector.
#include <numeric>
#include <vector>
int main() {
  const std::vector<int> v{1, 2, 3, 4};
  return std::accumulate(v.begin(), v.end(), 0);
}
