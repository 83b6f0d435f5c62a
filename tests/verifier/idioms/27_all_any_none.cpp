// EXPECT: accept
// all_of / any_of / none_of answer with a bool.
#include <algorithm>
#include <array>
int main() {
  const std::array<int, 3> a{2, 4, 6};
  auto even = [](int x) { return x % 2 == 0; };
  return std::ranges::all_of(a, even) && !std::ranges::none_of(a, even) &&
                 std::ranges::any_of(a, even)
             ? 0
             : 1;
}
