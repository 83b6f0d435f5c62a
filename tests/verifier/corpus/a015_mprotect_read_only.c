// EXPECT: KML-R002
// Near miss for KML-R015: mprotect to a constant without PROT_EXEC (making a
// table read-only) passes KML-R015; mprotect is still not allowlisted
// (KML-R002).
#include <sys/mman.h>

static int table[1024] __attribute__((aligned(4096)));

int freeze(void) {
  table[0] = 1;
  return mprotect(table, sizeof table, PROT_READ);
}
