// EXPECT: KML-R016
// printf's pointers are variadic: %ln writes a count into whatever the
// argument is, and a format chosen at run time cannot be checked.
#include <stdio.h>

int forge(const char *format) {
  char buf[8];
  int *p = 0;
  // EXPECT-NEXT-LINE: KML-R016
  snprintf(buf, sizeof buf, "%ln", &p);
  // EXPECT-NEXT-LINE: KML-R016
  snprintf(buf, sizeof buf, format, 1);
  return p != 0;
}
