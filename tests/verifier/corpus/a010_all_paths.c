// EXPECT: accept
// Near miss: assigned on every path before the read.
int f(int c) {
  int x;
  if (c)
    x = 1;
  else
    x = 2;
  return x;
}
