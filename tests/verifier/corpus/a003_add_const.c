// EXPECT: accept
// Near miss: adding const is a safe direction.
static int value = 3;

int read_only(void) {
  const int *p = (const int *)&value;
  return *p;
}
