// EXPECT: KML-R003 KML-R007 KML-R008
// alloca allocates on the stack with no static bound (and its void * result
// converts implicitly, KML-R003).
#include <alloca.h>

int scratch(unsigned n) {
  char *p = alloca(n);
  *p = 0;
  return *p;
}
