// EXPECT: KML-R002
// File streams are not in the reviewed subset.
#include <stdio.h>

int first_byte(void) {
  FILE *f = fopen("/etc/hostname", "r");
  return f ? 1 : 0;
}
