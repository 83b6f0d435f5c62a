// EXPECT: KML-R006
// Subtracting pointers is pointer arithmetic.
static char buf[16];

long distance(const char *p) { return p - buf; }
