// EXPECT: KML-R011
// Stored into the caller's pointer through a reference parameter.
void give(int *&out) {
  int x = 6;
  out = &x;
}
