// EXPECT: accept
// A variant and std::visit with an overloaded lambda set.
#include <variant>
struct Area {
  int operator()(int side) const { return side * side; }
  int operator()(double radius) const {
    return static_cast<int>(3 * radius * radius);
  }
};
int main() {
  std::variant<int, double> shape = 3;
  int a = std::visit(Area{}, shape);
  shape = 2.0;
  return a + std::visit(Area{}, shape);
}
