// EXPECT: accept
// Near miss: "asm" in identifiers and strings is not assembly.
#include <stdio.h>

static int asm_count = 0;

int main(void) {
  const char *msg = "asm volatile(\"cli\")";
  asm_count++;
  printf("%s %d\n", msg, asm_count);
  return 0;
}
