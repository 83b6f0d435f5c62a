// EXPECT: accept
// Near miss: a pointer to an allowlisted variadic function defines nothing
// variadic, and &printf is an explicit function address.
#include <stdio.h>

typedef int (*printer)(const char *, ...);

int main(void) {
  printer p = &printf;
  p("%d\n", 1);
  return 0;
}
