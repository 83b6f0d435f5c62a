// EXPECT: accept
// Sum with a range-for: the loop owns the iterators.
#include <vector>
int main() {
  const std::vector<int> v{1, 2, 3, 4};
  int sum = 0;
  for (int x : v)
    sum += x;
  return sum;
}
