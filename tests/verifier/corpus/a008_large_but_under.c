// EXPECT: accept
// Near miss: 4 KiB of locals is under the 8 KiB limit.
int fill(int i) {
  volatile char b[4096];
  b[i & 4095] = 1;
  return b[0];
}
