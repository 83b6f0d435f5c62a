// EXPECT: KML-R003
// C converts const void * to void * with only a warning: a writable view
// of a const-viewed object.
#include <string.h>

int forge(void) {
  int *p = 0;
  const void *view = &p;
  // EXPECT-NEXT-LINE: KML-R003
  memset(view, 0x41, sizeof p);
  return p != 0;
}
