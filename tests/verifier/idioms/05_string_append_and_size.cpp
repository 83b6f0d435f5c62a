// EXPECT: accept
// Build a string by appending.
#include <string>
int main() {
  std::string s = "ring";
  s += "-0";
  s.push_back('!');
  return static_cast<int>(s.size());
}
