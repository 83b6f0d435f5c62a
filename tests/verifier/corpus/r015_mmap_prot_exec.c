// EXPECT: KML-R012 KML-R015
// An anonymous mapping created executable: code no verifier has seen, run at
// CPL 0 (mmap itself is also raw allocation, KML-R012).
#define _GNU_SOURCE
#include <sys/mman.h>

void *make_jit_page(void) {
  return mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}
