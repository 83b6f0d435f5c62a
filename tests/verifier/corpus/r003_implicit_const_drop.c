// EXPECT: KML-R003 KML-R017
// C converts const void * to void * with only a warning: a writable view
// of a const-viewed object.
#include <string.h>

int forge(void) {
  int *p = 0;
  const void *view = &p;
  // A const void * has no size either (KML-R017).
  // EXPECT-NEXT-LINE: KML-R003 KML-R017
  memset(view, 0x41, sizeof p);
  return p != 0;
}
