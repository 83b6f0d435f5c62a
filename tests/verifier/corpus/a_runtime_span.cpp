// EXPECT: accept
// The reviewed runtime: kml::span, kml::array and kml::buffer index with
// checks, and their code is exempt from the rules.
#include <kml/array.hpp>
#include <kml/buffer.hpp>
#include <kml/span.hpp>

static int sum(kml::span<const int> values) {
  int s = 0;
  for (size_t i = 0; i < values.size(); ++i)
    s += values[i];
  return s;
}

int main() {
  int raw[4] = {1, 2, 3, 4};
  kml::array<int, 3> small{5, 6, 7};
  auto heap = kml::buffer<int>::create(8);
  if (!heap.valid())
    return 1;
  int total = sum(kml::span<const int>(raw)) + sum(small.span());
  for (int v : small)
    total += v;
  return total == 28 ? 0 : 1;
}
