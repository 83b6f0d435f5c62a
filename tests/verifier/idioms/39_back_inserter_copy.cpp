// EXPECT: accept
// Copy into a vector that grows: back_inserter pushes each element.
#include <algorithm>
#include <iterator>
#include <vector>
int main() {
  const std::vector<int> src{1, 2, 3};
  std::vector<int> dst;
  std::ranges::copy(src, std::back_inserter(dst));
  return static_cast<int>(dst.size());
}
