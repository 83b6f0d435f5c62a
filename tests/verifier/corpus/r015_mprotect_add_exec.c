// EXPECT: KML-R002 KML-R015
// Data made executable after the fact (the JIT pattern: write, then
// mprotect); mprotect is not allowlisted either (KML-R002).
#include <sys/mman.h>

static char page[4096] __attribute__((aligned(4096)));

int seal(void) {
  page[0] = (char)0xc3; // ret
  return mprotect(page, sizeof page, PROT_READ | PROT_EXEC);
}
