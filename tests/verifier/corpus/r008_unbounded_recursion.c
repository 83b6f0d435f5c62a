// EXPECT: KML-R008
// Recursion without a bound.
int depth(int n) { return n ? 1 + depth(n - 1) : 0; }

int main(void) { return depth(3); }
