// EXPECT: accept
// Near miss: returning a pointer the caller gave us.
int *choose(int *a, int *b, int first) { return first ? a : b; }
