// EXPECT: accept
// Near miss: literal formats that match their arguments, %n into an int.
#include <stdio.h>

int report(int id, long total) {
  char buf[32];
  int written = 0;
  snprintf(buf, sizeof buf, "%d:%ld%n", id, total, &written);
  printf("%s\n", buf);
  return written;
}
