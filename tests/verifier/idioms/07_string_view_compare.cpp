// EXPECT: accept
// A string_view over a literal and over a string that outlives it.
#include <string>
#include <string_view>
int main() {
  const std::string owner = "hello world";
  const std::string_view all = owner;
  const std::string_view word = all.substr(0, 5);
  return word == std::string_view("hello") ? 0 : 1;
}
