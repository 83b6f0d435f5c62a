// EXPECT: accept
// Near miss: char * to const char * is an implicit qualification, not a
// type change.
#include <string.h>

static unsigned long measure(const char *s) { return strlen(s); }

int main(void) {
  char name[8] = "kml";
  return measure(name) == 3 ? 0 : 1;
}
