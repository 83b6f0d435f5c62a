// EXPECT: KML-R003
// static_cast from void* is a reinterpretation in disguise.
int read_back(void *p) { return *static_cast<int *>(p); }
