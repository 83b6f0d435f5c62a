// EXPECT: accept
// holds_alternative() before get() (get aborts on the wrong type).
#include <variant>
int main() {
  std::variant<int, char> v = 'k';
  if (std::holds_alternative<char>(v))
    return std::get<char>(v);
  return std::get<int>(v);
}
