// EXPECT: KML-R016
// std::bit_cast makes a pointer, or an object holding one, out of bytes.
// (__builtin_bit_cast is KML-R016's too, but KML-R003 takes it first.)
#include <bit>
#include <cstdint>

struct Holder {
  int *target;
};

int *fromInteger(std::uint64_t bits) {
  // EXPECT-NEXT-LINE: KML-R016
  return std::bit_cast<int *>(bits);
}

Holder fromBytes(const unsigned char (&bytes)[8]) {
  // EXPECT-NEXT-LINE: KML-R016
  return std::bit_cast<Holder>(bytes);
}
