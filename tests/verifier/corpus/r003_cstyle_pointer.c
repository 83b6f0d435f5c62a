// EXPECT: KML-R003
// A C-style cast that changes the pointee type.
float as_float(int *p) { return *(float *)p; }
