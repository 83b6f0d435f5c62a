// EXPECT: KML-R008
// The big frame is only reachable through a function pointer: indirect
// calls reach every address-taken function of the same type
// (4 KiB in dispatch + 6 KiB in huge > 8 KiB).
static int small(int x) { return x; }
static int huge(int x) {
  volatile char b[6000];
  b[0] = (char)x;
  return b[0];
}
static int (*const table[2])(int) = {&small, &huge};

int dispatch(int i) {
  volatile char local[4000];
  local[0] = (char)table[i & 1](i);
  return local[0];
}
