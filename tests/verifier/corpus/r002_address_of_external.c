// EXPECT: KML-R002
// Taking the address of a non-allowlisted external counts too.
#include <stdlib.h>

int (*pick(void))(const char *) { return &system; }
