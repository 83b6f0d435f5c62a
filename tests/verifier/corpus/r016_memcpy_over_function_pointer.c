// EXPECT: KML-R016
// Raw bytes copied over a function pointer.
#include <string.h>

struct ops {
  int (*handler)(int);
};

int dispatch(struct ops *o, const unsigned char (*bytes)[8], int x) {
  memcpy(o, bytes, sizeof *o);
  return o->handler(x);
}
