// EXPECT: KML-R016
// A pointer made from bytes: memcpy of a long over an int *.
#include <string.h>

int forge(void) {
  long a = 0x1000;
  int *p = 0;
  // EXPECT-NEXT-LINE: KML-R016
  memcpy(&p, &a, sizeof p);
  return p != 0;
}
