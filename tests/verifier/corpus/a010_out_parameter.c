// EXPECT: accept
// Near miss: initialised through an out-parameter.
static void init(int *out) { *out = 7; }

int f(void) {
  int x;
  init(&x);
  return x;
}
