// EXPECT: KML-R002 KML-R015
// mprotect called through a pointer: the protection of that call is not
// visible where the function is named.
#include <sys/mman.h>

using protect_fn = int (*)(void *, size_t, int);

int call_through(protect_fn f, void *p, int prot) { return f(p, 4096, prot); }

int seal(void *p) { return call_through(&mprotect, p, PROT_READ | PROT_EXEC); }
