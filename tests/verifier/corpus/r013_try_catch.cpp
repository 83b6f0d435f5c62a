// EXPECT: KML-R013
// A try block.
int guarded(int v) {
  try {
    return v * 2;
  } catch (...) {
    return -1;
  }
}
