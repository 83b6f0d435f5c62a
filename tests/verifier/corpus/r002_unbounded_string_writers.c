// EXPECT: KML-R002
// C's string writers with no bound on the destination: refused with the
// bounded spelling as a fix-it.
#include <stdio.h>
#include <string.h>

int build(const char *name, int id) {
  char line[64];
  // EXPECT-NEXT-LINE: KML-R002
  sprintf(line, "%s-%d", name, id);
  char copy[64];
  // EXPECT-NEXT-LINE: KML-R002
  strcpy(copy, name);
  // EXPECT-NEXT-LINE: KML-R002
  strcat(copy, line);
  return copy[0];
}
