// EXPECT: KML-R006
// Taking the raw pointer out of a span and doing arithmetic on it.
#include <kml/span.hpp>

int second(kml::span<int> s) { return *(s.data() + 1); }
