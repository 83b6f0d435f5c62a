// EXPECT: accept
// Near miss: a static object outlives every call.
static int *saved;

void remember(void) {
  static int counter;
  saved = &counter;
}
