// EXPECT: accept
// Near miss: both dimensions of a 2-D array have known sizes.
static int m[3][3];

int trace(void) {
  int t = 0;
  for (int i = 0; i < 3; ++i)
    t += m[i][i];
  return t;
}
