// EXPECT: accept
// Parse a number with from_chars over a whole string_view.
#include <charconv>
#include <string_view>
int main() {
  const std::string_view text = "1234";
  int value = 0;
  const auto result = std::from_chars(text.begin(), text.end(), value);
  return result.ec == std::errc{} ? value % 256 : 1;
}
