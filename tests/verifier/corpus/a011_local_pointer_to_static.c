// EXPECT: accept
// Near miss: a local pointer to static storage may escape.
static int counter;
static int *saved;

int *remember(void) {
  int *p = &counter;
  saved = p;
  return p;
}
