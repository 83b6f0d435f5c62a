// EXPECT: KML-R011
// The address travels through a local pointer before it escapes.
static int *saved;

void remember(void) {
  int x = 1;
  int *p = &x;
  saved = p;
}
