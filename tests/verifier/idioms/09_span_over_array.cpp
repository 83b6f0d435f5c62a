// EXPECT: accept
// A span over a whole array, indexed with checks.
#include <span>
static int sum(std::span<const int> values) {
  int total = 0;
  for (int v : values)
    total += v;
  return total;
}
int main() {
  const int data[] = {1, 2, 3};
  return sum(data);
}
