// EXPECT: KML-R006
// The runtime's unchecked constructor is for reviewed code only.
#include <kml/span.hpp>

int first(int *p, size_t n) {
  auto s = kml::span<int>::unchecked(p, n);
  return s.empty() ? 0 : s[0];
}
