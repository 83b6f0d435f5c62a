// EXPECT: KML-R008
// One frame over the 8 KiB default limit.
#include <string.h>

int checksum(void) {
  unsigned char buf[16384];
  memset(buf, 1, sizeof buf);
  int s = 0;
  for (unsigned i = 0; i < sizeof buf; ++i)
    s += buf[i];
  return s;
}
