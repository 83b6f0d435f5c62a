// EXPECT: KML-R012
// Raw new and delete.
int make() {
  int *p = new int(4);
  int v = *p;
  delete p;
  return v;
}
