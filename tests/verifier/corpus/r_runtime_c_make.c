// EXPECT: KML-R006
// name##_make trusts the caller's length: application code may not.
#include <kml/rt.h>

int first(int *p, size_t n) {
  kml_ints v = kml_ints_make(p, n);
  return v.len ? kml_ints_get(v, 0) : 0;
}
