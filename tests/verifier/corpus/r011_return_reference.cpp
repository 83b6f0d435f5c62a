// EXPECT: KML-R011
// A reference to a local outlives it.
const int &pick() {
  int x = 4;
  return x;
}
