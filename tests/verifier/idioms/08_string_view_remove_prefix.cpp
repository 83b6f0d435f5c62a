// EXPECT: accept
// Trim a view from the front (remove_prefix checks the count).
#include <string_view>
int main() {
  std::string_view s = "   padded";
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  return static_cast<int>(s.size());
}
