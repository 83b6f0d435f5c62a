// EXPECT: KML-R016 KML-R017
// The program's own byte writer: the conversion at its call is the finding,
// whatever the callee does with the bytes.
#include <string.h>

struct config {
  const char *name;
  int level;
};

// Its memset cannot be bounded: a void * has no size (KML-R017).
static void scrub(void *object, unsigned long size) {
  // EXPECT-NEXT-LINE: KML-R017
  memset(object, 0xff, size);
}

int reset(void) {
  struct config c = {"x", 1};
  // EXPECT-NEXT-LINE: KML-R016
  scrub(&c, sizeof c);
  // EXPECT-NEXT-LINE: KML-R016
  void *view = (void *)&c;
  scrub(view, sizeof c);
  return c.level;
}
