// EXPECT: accept
// optional: has_value() and value_or().
#include <optional>
static std::optional<int> parseDigit(char c) {
  if (c < '0' || c > '9')
    return std::nullopt;
  return c - '0';
}
int main() {
  const std::optional<int> d = parseDigit('7');
  return d.has_value() ? d.value_or(0) : parseDigit('x').value_or(-1);
}
