// EXPECT: accept
// Near miss: passing a local's address down the stack is fine.
static void set(int *p) { *p = 9; }

int f(void) {
  int x = 0;
  set(&x);
  return x;
}
