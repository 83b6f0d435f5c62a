// EXPECT: KML-R006
// An array parameter is a pointer: the [10] is not a bound.
void clear(int a[10]) { a[2] = 0; }
