// EXPECT: accept
// fill() and front()/back() on a fixed-size array.
#include <array>
int main() {
  std::array<unsigned, 8> a{};
  a.fill(3);
  return static_cast<int>(a.front() + a.back());
}
