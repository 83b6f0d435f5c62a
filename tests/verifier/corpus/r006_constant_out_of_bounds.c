// EXPECT: KML-R006
// A constant index must be provably in bounds.
int last(void) {
  int a[4] = {1, 2, 3, 4};
  return a[4];
}
