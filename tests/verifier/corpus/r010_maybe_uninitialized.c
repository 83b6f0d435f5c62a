// EXPECT: KML-R010
// The loop may run zero times.
int last(int n) {
  int v;
  for (int i = 0; i < n; ++i)
    v = i;
  return v;
}
