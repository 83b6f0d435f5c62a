// EXPECT: accept
// Containers compare with ==.
#include <string>
#include <vector>
int main() {
  const std::vector<std::string> a{"x", "y"};
  std::vector<std::string> b;
  b.push_back("x");
  b.push_back("y");
  return a == b ? 0 : 1;
}
