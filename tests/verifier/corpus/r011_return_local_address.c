// EXPECT: KML-R011
// The address of a local escapes through the return value.
int *make(void) {
  int x = 3;
  return &x;
}
