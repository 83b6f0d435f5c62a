// EXPECT: KML-R003
// reinterpret_cast changes what the pointer points to.
float as_float(int *p) { return *reinterpret_cast<float *>(p); }
