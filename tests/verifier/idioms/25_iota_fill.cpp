// EXPECT: accept
// std::iota writes within the range it is given.
#include <array>
#include <numeric>
int main() {
  std::array<int, 5> a{};
  std::iota(a.begin(), a.end(), 10);
  return a[4];
}
