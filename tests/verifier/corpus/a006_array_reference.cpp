// EXPECT: accept
// Near miss: a reference to an array keeps its size.
int sum(const int (&a)[16]) {
  int s = 0;
  for (int i = 0; i < 16; ++i)
    s += a[i];
  return s;
}
