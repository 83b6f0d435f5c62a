// EXPECT: KML-R012
// Manual allocation in application code.
#include <stdlib.h>

int use(void) {
  void *p = malloc(16);
  free(p);
  return 0;
}
