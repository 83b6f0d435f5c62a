// EXPECT: KML-R002 KML-R015
// The other spellings: pkey_mprotect and mmap64 (a file mapped executable,
// as memfd_create + mmap would be), PROT_EXEC given as its value 4.
#define _GNU_SOURCE
#include <sys/mman.h>

int protect_key(char (*page)[4096], int key) {
  return pkey_mprotect(page, sizeof *page, PROT_EXEC, key);
}

void *map_code(int fd) {
  return mmap64(0, 4096, PROT_READ | 4, MAP_PRIVATE, fd, 0);
}
