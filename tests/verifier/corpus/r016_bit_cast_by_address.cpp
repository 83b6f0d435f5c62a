// EXPECT: KML-R016
// std::bit_cast to a pointer type, taken by address instead of called.
#include <bit>

int *forge(const long &bits) {
  // EXPECT-NEXT-LINE: KML-R016
  int *(*cast)(const long &) = &std::bit_cast<int *, long>;
  return cast(bits);
}
