// EXPECT: accept
// pair, tuple and structured bindings.
#include <tuple>
#include <utility>
static std::pair<int, int> divmod(int a, int b) { return {a / b, a % b}; }
int main() {
  const auto [q, r] = divmod(17, 5);
  const std::tuple<int, char> t{q, 'r'};
  return std::get<0>(t) * 10 + r;
}
