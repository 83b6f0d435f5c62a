// EXPECT: KML-R019
// Found by the fourth review (an old hole) (snap and new both accept). Inside a
// range-for over g, a library algorithm is given a function pointer to a
// program function that reallocates g; checkCall treats library calls as
// harmless unless they change the shape of their own object. library algorithm
// in a watched region calls a program function (constexpr fn pointer)
#include <algorithm>
#include <cstdio>
#include <vector>
std::vector<int> g{1, 2, 3};
void grow(int) {
  for (int i = 0; i < 100; ++i)
    g.push_back(i);
}
constexpr void (*grow_fp)(int) = &grow;
int main() {
  std::vector<int> one{1};
  int sum = 0;
  for (int &x : g) {
    // EXPECT-NEXT-LINE: KML-R019
    std::ranges::for_each(one, grow_fp);
    sum += x;
  }
  std::printf("%d\n", sum);
  return 0;
}
