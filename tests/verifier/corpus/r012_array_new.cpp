// EXPECT: KML-R012
// Array new/delete.
int sum(int n) {
  int *a = new int[4]();
  int s = *a + n;
  delete[] a;
  return s;
}
