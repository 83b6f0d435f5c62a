// EXPECT: KML-R002 KML-R015
// A protection computed at run time: the verifier cannot prove PROT_EXEC
// clear, even though this caller never passes it.
#include <sys/mman.h>

int set_protection(char (*page)[4096], int writable) {
  int prot = writable ? PROT_READ | PROT_WRITE : PROT_READ;
  return mprotect(page, sizeof *page, prot);
}
