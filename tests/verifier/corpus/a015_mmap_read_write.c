// EXPECT: KML-R012
// Near miss for KML-R015: data mappings without PROT_EXEC (constants,
// including constant expressions) pass KML-R015; only KML-R012 (mmap is raw
// allocation) remains.
#define _GNU_SOURCE
#include <sys/mman.h>

enum { DATA_PROT = PROT_READ | PROT_WRITE };

void *map_data(void) {
  return mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
              0);
}

void *map_guard(void) {
  return mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

void *map_masked(void) {
  return mmap(0, 4096, (DATA_PROT | PROT_EXEC) & ~PROT_EXEC,
              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}
