// EXPECT: accept
// Near miss: the value is stored, not the address.
static int saved;

void remember(void) {
  int x = 1;
  saved = x;
}
