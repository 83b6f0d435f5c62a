// EXPECT: KML-R008
// ARGS: --stack-limit=256
// 512 bytes of locals against a 256-byte limit.
int fill(int i) {
  volatile char b[512];
  b[i & 255] = 1;
  return b[0];
}
