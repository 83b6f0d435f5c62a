// EXPECT: KML-R012
// realloc and calloc are manual lifetimes too.
#include <stdlib.h>

void grow(void) {
  void *p = calloc(4, 4);
  void *q = realloc(p, 64);
  free(q);
}
