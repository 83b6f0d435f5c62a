// EXPECT: accept
// Near miss: two 3 KiB frames called one after the other, not nested:
// the worst case is the larger branch, not the sum.
static int left(int i) {
  volatile char b[3072];
  b[i & 1023] = 1;
  return b[0];
}
static int right(int i) {
  volatile char b[3072];
  b[i & 1023] = 2;
  return b[0];
}
int both(int i) { return left(i) + right(i); }
