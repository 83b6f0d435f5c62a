// EXPECT: KML-R002
// system() forks a shell: not a reviewed external.
#include <stdlib.h>

int run(void) { return system("true"); }
