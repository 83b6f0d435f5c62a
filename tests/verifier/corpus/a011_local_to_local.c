// EXPECT: accept
// Near miss: a local pointer to a local does not outlive it.
int f(void) {
  int x = 1;
  int *p = &x;
  *p = 3;
  return x;
}
