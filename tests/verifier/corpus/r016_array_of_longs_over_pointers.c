// EXPECT: KML-R016
// memcpy of a long[] over an array of pointers (the array decays to int **).
#include <string.h>

int forge(void) {
  long raw[2] = {0x1000, 0x2000};
  int *ptrs[2] = {0, 0};
  // EXPECT-NEXT-LINE: KML-R016
  memcpy(ptrs, raw, sizeof ptrs);
  return ptrs[0] != 0;
}
