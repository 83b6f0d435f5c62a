// EXPECT: accept
// Near miss: NULL is ((void *)0) in C; comparing with it or assigning it
// converts a null constant, not an address.
#include <stddef.h>

static int value = 4;

int read_or_zero(const int *p) {
  const int *q = NULL;
  if (p == NULL)
    p = q ? q : &value;
  return p != (int *)0 ? *p : 0;
}
