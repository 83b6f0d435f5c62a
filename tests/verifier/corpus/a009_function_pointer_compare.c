// EXPECT: accept
// Near miss: comparing function pointers is not calling unknown code.
static int a(void) { return 1; }
static int b(void) { return 2; }

static int (*current)(void) = &a;

int flip(void) {
  current = current == &a ? &b : &a;
  return current();
}
