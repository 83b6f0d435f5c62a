// EXPECT: accept
// Near miss: converting to void* (and discarding values) is allowed.
#include <string.h>

static int a[4];

void clear(void) {
  void *p = (void *)a;
  (void)p;
  memset(a, 0, sizeof a);
}
