// EXPECT: accept
// The C runtime: views from arrays and literals, checked get/set, and
// owned heap views instead of malloc/free.
#include <kml/rt.h>

int main(void) {
  int raw[4] = {1, 2, 3, 4};
  kml_ints v = KML_SPAN_OF(kml_ints, raw);
  int s = 0;
  for (size_t i = 0; i < v.len; ++i)
    s += kml_ints_get(v, i);
  kml_ints heap = kml_ints_alloc(16);
  if (!heap.data)
    return 1;
  kml_ints_set(heap, 3, s);
  s = kml_ints_get(heap, 3);
  kml_ints_free(&heap);
  return kml_write_all(1, KML_STR("ok\n")) == 0 && s == 10 ? 0 : 1;
}
