// EXPECT: accept
// Near miss: a do-while body always runs once.
static int next(int v) { return v - 3; }

int settle(int v) {
  int x;
  do {
    x = next(v);
    v = x;
  } while (x > 10);
  return x;
}
