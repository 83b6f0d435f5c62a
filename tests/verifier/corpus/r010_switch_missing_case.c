// EXPECT: KML-R010
// A switch that leaves a path without a value.
int code(int k) {
  int r;
  switch (k) {
  case 0:
    r = 10;
    break;
  case 1:
    r = 20;
    break;
  default:
    break;
  }
  return r;
}
