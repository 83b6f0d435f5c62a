// EXPECT: KML-R011
// A global keeps the address after the frame is gone.
static int *saved;

void remember(void) {
  int x = 1;
  saved = &x;
}
