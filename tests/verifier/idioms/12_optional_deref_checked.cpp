// EXPECT: accept
// operator* on an optional is checked in hardened mode.
#include <optional>
int main() {
  std::optional<int> o;
  o = 41;
  if (o)
    return *o + 1;
  return 0;
}
