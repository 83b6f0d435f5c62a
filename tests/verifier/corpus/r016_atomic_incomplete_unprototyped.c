// EXPECT: KML-R016 KML-R017
// Pointers the type does not show at first sight: an _Atomic pointer, a
// struct defined in another translation unit, a function without a
// prototype (its argument is not converted to void *).
#include <string.h>

struct elsewhere;
void zap();

void clear(struct elsewhere *e, unsigned long size) {
  // EXPECT-NEXT-LINE: KML-R016 KML-R017
  memset(e, 0x41, size);
}

int forge(void) {
  _Atomic(int *) a = 0;
  int *p = 0;
  // EXPECT-NEXT-LINE: KML-R016
  memset(&a, 0x41, sizeof a);
  // EXPECT-NEXT-LINE: KML-R016
  zap(&p);
  return a != 0 && p != 0;
}

// A void * has no size to check the length against.
// EXPECT-NEXT-LINE: KML-R017
void zap(void *v) { memset(v, 0x41, sizeof(int *)); }
