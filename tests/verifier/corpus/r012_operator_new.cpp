// EXPECT: KML-R012
// Calling the allocation function directly.
#include <new>

void *raw(unsigned long n) { return ::operator new(n); }
