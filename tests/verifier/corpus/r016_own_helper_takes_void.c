// EXPECT: KML-R016
// The program's own byte writer: the conversion at its call is the finding,
// whatever the callee does with the bytes.
#include <string.h>

struct config {
  const char *name;
  int level;
};

static void scrub(void *object, unsigned long size) {
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
