// EXPECT: accept
// Numbers to text with std::to_string.
#include <string>
int main() {
  const std::string s = "n=" + std::to_string(42);
  return static_cast<int>(s.size());
}
