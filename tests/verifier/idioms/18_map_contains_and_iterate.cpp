// EXPECT: accept
// contains() and a range-for with structured bindings.
#include <map>
int main() {
  std::map<int, int> squares;
  for (int i = 0; i < 5; ++i)
    squares[i] = i * i;
  int total = 0;
  for (const auto &[k, v] : squares)
    total += k + v;
  return squares.contains(3) ? total : 0;
}
