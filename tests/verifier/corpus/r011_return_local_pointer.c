// EXPECT: KML-R011
// Returning a local pointer that holds a local's address.
int *make(void) {
  int x = 3;
  int *p;
  p = &x;
  return p;
}
