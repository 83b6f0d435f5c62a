// EXPECT: accept
// Near miss: calling an allowlisted variadic function is fine.
#include <stdio.h>

int main(void) {
  printf("%d %s\n", 42, "ok");
  return 0;
}
