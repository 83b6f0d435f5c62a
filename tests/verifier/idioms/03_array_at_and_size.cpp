// EXPECT: accept
// std::array with at() (aborts when out of range) and size().
#include <array>
int main() {
  std::array<int, 4> a{1, 2, 3, 4};
  a.at(2) = 7;
  return a.at(2) + static_cast<int>(a.size());
}
