// EXPECT: accept
// Near miss: pointer-to-integer only observes the address (documented).
#include <stdint.h>

static int slot;

int aligned(void) { return ((uintptr_t)&slot & 3u) == 0; }
