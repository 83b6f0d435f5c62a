// EXPECT: KML-R010
// Read before any write.
int f(void) {
  int x;
  return x + 1;
}
