// EXPECT: KML-R016
// memset over a struct that holds a pointer: every byte of the pointer is
// the fill value.
#include <string.h>

struct node {
  int value;
  struct node *next;
};

int fill(void) {
  struct node n = {1, 0};
  // EXPECT-NEXT-LINE: KML-R016
  memset(&n, 0x41, sizeof n);
  return n.next != 0;
}
