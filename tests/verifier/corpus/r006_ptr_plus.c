// EXPECT: KML-R006
// Pointer arithmetic followed by a dereference.
int second(const int *p) { return *(p + 1); }
