// EXPECT: KML-R010
// Initialised on one path only.
int f(int c) {
  int x;
  if (c)
    x = 1;
  return x;
}
