// EXPECT: KML-R016
// memchr and strchr return a writable pointer into the const object they
// searched: bytes written through it would become a pointer.
#include <string.h>

int forge(unsigned char key) {
  int *p = 0;
  // EXPECT-NEXT-LINE: KML-R016
  void *at = memchr(&p, key, sizeof p);
  return at != 0;
}
