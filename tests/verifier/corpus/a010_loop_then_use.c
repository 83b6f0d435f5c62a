// EXPECT: accept
// Near miss: written before the loop, so every path has a value.
int last(int n) {
  int v = -1;
  for (int i = 0; i < n; ++i)
    v = i;
  return v;
}
