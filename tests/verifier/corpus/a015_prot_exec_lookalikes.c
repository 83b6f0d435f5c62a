// EXPECT: accept
// Near miss: PROT_EXEC used as a number, a variable named like it, and the
// program's own functions whose names contain mmap/mprotect; none of them
// creates executable memory.
#include <stdio.h>
#include <sys/mman.h>

struct region {
  int prot;
  int exec;
};

static int my_mprotect(struct region *r, int prot) {
  r->prot = prot;
  return 0;
}

static int mmap_count(int n) { return n + 1; }

int main(void) {
  int prot_exec = PROT_EXEC;
  struct region r = {PROT_READ, 0};
  printf("PROT_EXEC is %d\n", prot_exec);
  r.exec = (r.prot & PROT_EXEC) != 0;
  return my_mprotect(&r, PROT_READ | PROT_EXEC) + mmap_count(r.exec) - 1;
}
