// EXPECT: KML-R006
// += on a pointer.
const int *skip(const int *p, int n) {
  p += n;
  return p;
}
