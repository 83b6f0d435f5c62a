// EXPECT: KML-R003 KML-R016
// A runtime macro's argument is the application's code: every rule applies
// inside kml_check(...).
#include <kml/rt.h>
#include <string.h>

int forge(void) {
  int *p = 0;
  // EXPECT-NEXT-LINE: KML-R016
  kml_check(memset(&p, 0x41, sizeof p) != 0);
  // EXPECT-NEXT-LINE: KML-R003
  kml_check((*(int *)0x1000 = 1) != 0);
  return p != 0;
}
