// EXPECT: KML-R008
// Each frame is fine; the chain is not (3 x 3 KiB > 8 KiB).
static int c(int i) {
  volatile char b[3072];
  b[i & 1023] = 1;
  return b[0];
}
static int b(int i) {
  volatile char x[3072];
  x[0] = (char)c(i);
  return x[0];
}
int a(int i) {
  volatile char y[3072];
  y[0] = (char)b(i);
  return y[0];
}
