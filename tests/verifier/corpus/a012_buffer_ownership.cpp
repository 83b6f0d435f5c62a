// EXPECT: accept
// Near miss: heap memory owned by kml::buffer, moved out of a function.
#include <kml/buffer.hpp>
#include <utility>

static kml::buffer<int> make(size_t n) {
  auto b = kml::buffer<int>::create(n);
  return b;
}

int main() {
  kml::buffer<int> a = make(4);
  kml::buffer<int> b = std::move(a);
  return b.valid() ? 0 : 1;
}
