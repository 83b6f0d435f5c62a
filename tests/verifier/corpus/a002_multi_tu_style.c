// EXPECT: accept
// Near miss: a static helper and a library-style function with body.
static int square(int x) { return x * x; }
int api_entry(int x) { return square(x) + 1; }
